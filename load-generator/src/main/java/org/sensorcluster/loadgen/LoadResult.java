package org.sensorcluster.loadgen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one open-loop run measured (see {@link ConnectionWorker} for which requests count where):
 * the window figures count replies, errors and acknowledgements that happened inside the measured
 * window; {@code *Total} ones the whole run. Latencies are in microseconds in the histograms and
 * reported in milliseconds.
 */
public record LoadResult(
    LoadSettings settings,
    Histogram ackLatency,
    Histogram ackServiceTime,
    Map<Integer, Long> statusCounts,
    Map<Integer, Long> statusCountsTotal,
    Map<Integer, String> firstBodyByStatus,
    long sentInWindow,
    long unsent,
    double oldestUnsentMillis,
    long timeouts,
    long ioErrors,
    long badReplies,
    long errorsTotal,
    String firstError,
    long ackedReadingsInWindow,
    long ackedRequestsInWindow,
    long duplicatesInWindow,
    long rejectedInWindow,
    long partiallyAcceptedInWindow,
    long ackedReadingsTotal,
    long requestsSentTotal,
    double clientCpuCores) {

  private static final ObjectMapper JSON = new ObjectMapper();

  double seconds() {
    return settings.duration().toNanos() / 1e9;
  }

  /** Readings acknowledged (the "accepted" of 202 replies received in the window) per second. */
  public double ackedReadingsPerSecond() {
    return ackedReadingsInWindow / seconds();
  }

  public long non202() {
    long n = 0;
    for (Map.Entry<Integer, Long> e : statusCounts.entrySet())
      if (e.getKey() != 202) n += e.getValue();
    return n;
  }

  /**
   * Requests (in the window) that got no usable HTTP reply: timeouts, connection errors, unreadable
   * 202s.
   */
  public long errors() {
    return timeouts + ioErrors + badReplies;
  }

  /** Latency percentile in ms (from the intended send time); NaN when nothing was acknowledged. */
  public double ackMillis(double percentile) {
    return ackLatency.getTotalCount() == 0
        ? Double.NaN
        : ackLatency.getValueAtPercentile(percentile) / 1000.0;
  }

  public double maxAckMillis() {
    return ackLatency.getTotalCount() == 0 ? Double.NaN : ackLatency.getMaxValue() / 1000.0;
  }

  public double serviceMillis(double percentile) {
    return ackServiceTime.getTotalCount() == 0
        ? Double.NaN
        : ackServiceTime.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The human line. */
  public String line() {
    return String.format(
        Locale.ROOT,
        "%s: %.0f acknowledged readings/s (offered %.0f readings/s = %.1f req/s x %d, %d conns, %s s)"
            + " ack latency p50 %.1f p99 %.1f p99.9 %.1f max %.1f ms; statuses %s; errors %d; unsent %d%s",
        settings.mode().name().toLowerCase(Locale.ROOT),
        ackedReadingsPerSecond(),
        settings.readingsPerSecond(),
        settings.requestsPerSecond(),
        settings.readingsPerRequest(),
        settings.connections(),
        trim(seconds()),
        ackMillis(50),
        ackMillis(99),
        ackMillis(99.9),
        maxAckMillis(),
        statusCounts,
        errors(),
        unsent,
        unsent == 0
            ? ""
            : String.format(
                Locale.ROOT, " (oldest due %.0f ms before the end)", oldestUnsentMillis));
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.3f", d);
  }

  /** Everything, as an ordered map (the JSON line). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "load");
    m.put("label", settings.label());
    m.put("mode", settings.mode().name().toLowerCase(Locale.ROOT));
    m.put("url", settings.url().toString());
    m.put("run_id", settings.runId());
    m.put("sensors", settings.sensors());
    m.put("readings_per_request", settings.readingsPerRequest());
    m.put("connections", settings.connections());
    m.put("offered_requests_per_s", round(settings.requestsPerSecond()));
    m.put("offered_readings_per_s", round(settings.readingsPerSecond()));
    m.put("warmup_s", settings.warmup().toMillis() / 1000.0);
    m.put("duration_s", seconds());
    m.put("acked_readings_per_s", round(ackedReadingsPerSecond()));
    m.put("acked_requests_per_s", round(ackedRequestsInWindow / seconds()));
    m.put("acked_readings_in_window", ackedReadingsInWindow);
    m.put("duplicates_in_window", duplicatesInWindow);
    m.put("rejected_in_window", rejectedInWindow);
    m.put("accepted_in_non_202_in_window", partiallyAcceptedInWindow);
    m.put("acked_readings_total", ackedReadingsTotal);
    m.put("requests_sent_total", requestsSentTotal);
    m.put("sent_in_window", sentInWindow);
    m.put("unsent", unsent);
    m.put("unsent_oldest_ms", round(oldestUnsentMillis));
    Map<String, Object> lat = new LinkedHashMap<>();
    lat.put("count", ackLatency.getTotalCount());
    lat.put("p50", round(ackMillis(50)));
    lat.put("p90", round(ackMillis(90)));
    lat.put("p99", round(ackMillis(99)));
    lat.put("p99_9", round(ackMillis(99.9)));
    lat.put("max", round(maxAckMillis()));
    m.put("ack_latency_ms", lat);
    Map<String, Object> svc = new LinkedHashMap<>();
    svc.put("p50", round(serviceMillis(50)));
    svc.put("p99", round(serviceMillis(99)));
    svc.put(
        "max",
        round(
            ackServiceTime.getTotalCount() == 0
                ? Double.NaN
                : ackServiceTime.getMaxValue() / 1000.0));
    m.put("ack_service_time_ms", svc);
    Map<String, Long> statuses = new LinkedHashMap<>();
    statusCounts.forEach((k, v) -> statuses.put(Integer.toString(k), v));
    m.put("status_counts", statuses);
    Map<String, Long> statusesTotal = new LinkedHashMap<>();
    statusCountsTotal.forEach((k, v) -> statusesTotal.put(Integer.toString(k), v));
    m.put("status_counts_total", statusesTotal);
    m.put("non_202", non202());
    Map<String, Object> errors = new LinkedHashMap<>();
    errors.put("timeouts", timeouts);
    errors.put("io", ioErrors);
    errors.put("bad_replies", badReplies);
    errors.put("total", errorsTotal);
    if (firstError != null) errors.put("first", firstError);
    m.put("errors", errors);
    if (!firstBodyByStatus.isEmpty()) {
      Map<String, String> bodies = new LinkedHashMap<>();
      firstBodyByStatus.forEach((k, v) -> bodies.put(Integer.toString(k), v));
      m.put("first_body_by_status", bodies);
    }
    m.put("client_cpu_cores", round(clientCpuCores));
    return m;
  }

  public String json() {
    return toJson(toMap());
  }

  static String toJson(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Two decimals; NaN becomes null in the JSON. */
  static Double round(double d) {
    return Double.isNaN(d) || Double.isInfinite(d) ? null : Math.round(d * 100) / 100.0;
  }
}
