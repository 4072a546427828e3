package org.sensorcluster.loadgen;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a run measured. {@code measuredEvents}/{@code measuredTransactions} are those committed in
 * the measured window; {@code totalEvents}/{@code totalTransactions} everything committed (warm-up
 * and the transactions still in flight when the window closed included), i.e. what is in the table
 * afterwards.
 */
record CeilingResult(
    CeilingSettings settings,
    long measuredEvents,
    long measuredTransactions,
    long totalEvents,
    long totalTransactions,
    double eventsPerSecond,
    double transactionsPerSecond,
    double[] eventsPerSecondPerClient,
    double txP50Millis,
    double txP99Millis) {

  /** The one line to quote. */
  public String line() {
    return String.format(
        Locale.ROOT,
        "ceiling: %.0f events/s (%d clients, %d events/tx, %s s) tx p50 %.1f ms p99 %.1f ms",
        eventsPerSecond,
        settings.clients(),
        settings.eventsPerTransaction(),
        seconds(settings.duration()),
        txP50Millis,
        txP99Millis);
  }

  public String details() {
    StringBuilder perClient = new StringBuilder();
    for (double d : eventsPerSecondPerClient) {
      if (perClient.length() > 0) perClient.append(", ");
      perClient.append(String.format(Locale.ROOT, "%.0f", d));
    }
    return String.format(
        Locale.ROOT,
        "  %.1f tx/s; %d events in %d tx measured, %d events in %d tx written in all; %d sensors;"
            + " events/s per client: [%s]",
        transactionsPerSecond,
        measuredEvents,
        measuredTransactions,
        totalEvents,
        totalTransactions,
        settings.sensors(),
        perClient);
  }

  /** The clients' counters summed up, their latencies merged (after every client stopped). */
  static CeilingResult of(CeilingSettings settings, List<CeilingClient> clients) {
    double seconds = settings.duration().toNanos() / 1e9;
    long measuredEvents = 0, measuredTx = 0, totalEvents = 0, totalTx = 0;
    double[] perClient = new double[clients.size()];
    int latencyCount = 0;
    for (CeilingClient c : clients) {
      measuredEvents += c.measuredEvents;
      measuredTx += c.measuredTx;
      totalEvents += c.totalEvents;
      totalTx += c.totalTx;
      perClient[c.index] = c.measuredEvents / seconds;
      latencyCount += c.latencyCount;
    }
    long[] all = new long[latencyCount];
    int pos = 0;
    for (CeilingClient c : clients) {
      System.arraycopy(c.latencies, 0, all, pos, c.latencyCount);
      pos += c.latencyCount;
    }
    Arrays.sort(all);
    return new CeilingResult(
        settings,
        measuredEvents,
        measuredTx,
        totalEvents,
        totalTx,
        measuredEvents / seconds,
        measuredTx / seconds,
        perClient,
        percentileMillis(all, 0.50),
        percentileMillis(all, 0.99));
  }

  /** Nearest-rank percentile of sorted nanosecond values, in milliseconds; NaN when empty. */
  static double percentileMillis(long[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0
        ? Long.toString(d.toSeconds())
        : String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
  }
}
