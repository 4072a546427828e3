package org.sensorcluster.loadgen;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * A run's {@link LoadResult} from its {@link ConnectionWorker}s' counters (read once every worker
 * stopped): histograms merged, counts summed, the first error and the first body of each status
 * kept.
 */
final class WorkerTotals {

  private WorkerTotals() {}

  static LoadResult sum(
      LoadSettings settings, List<ConnectionWorker> workers, double clientCpuCores) {
    Histogram latency = new Histogram(ConnectionWorker.MAX_MICROS, 3);
    Histogram service = new Histogram(ConnectionWorker.MAX_MICROS, 3);
    Map<Integer, Long> statuses = new TreeMap<>();
    Map<Integer, Long> statusesTotal = new TreeMap<>();
    Map<Integer, String> bodies = new TreeMap<>();
    long sent = 0, unsent = 0, oldestUnsent = 0, timeouts = 0, io = 0, bad = 0, errorsTotal = 0;
    long acked = 0, ackedReq = 0, dup = 0, rej = 0, partial = 0, ackedTotal = 0, sentTotal = 0;
    String firstError = null;
    for (ConnectionWorker w : workers) {
      latency.add(w.ackLatency);
      service.add(w.ackServiceTime);
      for (int s = 0; s < w.statusCounts.length; s++) {
        if (w.statusCounts[s] > 0) statuses.merge(s, w.statusCounts[s], Long::sum);
        if (w.statusCountsTotal[s] > 0) statusesTotal.merge(s, w.statusCountsTotal[s], Long::sum);
        if (w.firstBodyByStatus[s] != null) bodies.putIfAbsent(s, w.firstBodyByStatus[s]);
      }
      sent += w.sentInWindow;
      unsent += w.unsent;
      oldestUnsent = Math.max(oldestUnsent, w.oldestUnsentNanos);
      errorsTotal += w.errorsTotal;
      timeouts += w.timeouts;
      io += w.ioErrors;
      bad += w.badReplies;
      if (firstError == null) firstError = w.firstError;
      acked += w.ackedReadingsInWindow;
      ackedReq += w.ackedRequestsInWindow;
      dup += w.duplicatesInWindow;
      rej += w.rejectedInWindow;
      partial += w.partiallyAcceptedInWindow;
      ackedTotal += w.ackedReadingsTotal;
      sentTotal += w.requestsSentTotal;
    }
    return new LoadResult(
        settings,
        latency,
        service,
        statuses,
        statusesTotal,
        bodies,
        sent,
        unsent,
        oldestUnsent / 1e6,
        timeouts,
        io,
        bad,
        errorsTotal,
        firstError,
        acked,
        ackedReq,
        dup,
        rej,
        partial,
        ackedTotal,
        sentTotal,
        clientCpuCores);
  }
}
