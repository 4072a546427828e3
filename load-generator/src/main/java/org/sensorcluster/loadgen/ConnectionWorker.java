package org.sensorcluster.loadgen;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One connection and the thread that drives it, wrk2-style. Connection {@code i} of {@code C} at a
 * total rate of {@code rate} requests/s owns the arrivals {@code i, i+C, i+2C, ...} of the global
 * schedule {@code start + j/rate}: its request {@code k} has the intended send time {@code start +
 * (i + k*C)/rate}. The thread sleeps until that time if it is early and sends at once if it is
 * late, and latency is measured from the intended time, not from the actual send: when the server
 * stalls, the requests that should have gone out during the stall are charged the time they waited
 * (no coordinated omission).
 *
 * <p>What counts where: everything that happens inside the measured window {@code [measureFrom,
 * measureTo)} - a reply (any status), a transport error, an acknowledgement and its latency -
 * counts in the window figures when it happens (completes) inside the window; the latency of a
 * reply is still taken from its request's intended time, so a request that was due during the
 * warm-up but answered in the window is charged all of its wait. The same events over the whole run
 * (warm-up and the replies still in flight when the window closed) go into the {@code *Total}
 * counters. When the window closes the thread sends nothing more and waits for its reply in flight;
 * arrivals that were due but not sent by then (it was behind) are counted as {@code unsent}, with
 * the age of the oldest - a sign that the offered rate was not sustained.
 *
 * <p>A 401 or 403 is not load: the token was refused, and so would every further request be. The
 * first one is kept in {@code refused}, shared by every connection of the run, and every connection
 * stops (without counting it); {@link LoadGenerator#run} then throws it.
 */
final class ConnectionWorker implements Runnable {

  /** Highest latency the histograms hold: one hour, in microseconds. */
  static final long MAX_MICROS = 3_600_000_000L;

  /**
   * Longest single park while waiting for the next arrival (then the refused flag is looked at
   * again).
   */
  private static final long MAX_PARK_NANOS = 100_000_000L;

  private final int index;
  private final LoadSettings settings;
  private final RequestFactory requests;
  private final AtomicLong nextReading;
  private final AckRecorder recorder;
  private final Clock clock;
  private final HttpConnection connection;
  private final AtomicReference<ApiToken.Rejected> refused;
  private byte[] cachedHead;
  private int cachedHeadLength = -1;

  private long start;
  private long measureFrom;
  private long measureTo;

  final Histogram ackLatency = new Histogram(MAX_MICROS, 3);
  final Histogram ackServiceTime = new Histogram(MAX_MICROS, 3);
  final long[] statusCounts = new long[600];
  final long[] statusCountsTotal = new long[600];
  final String[] firstBodyByStatus = new String[600];
  long sentInWindow;
  long unsent;
  long oldestUnsentNanos;
  long timeouts;
  long ioErrors;
  long badReplies;
  long errorsTotal;
  String firstError;
  long ackedReadingsInWindow;
  long ackedRequestsInWindow;
  long duplicatesInWindow;
  long rejectedInWindow;

  /**
   * "accepted" of non-202 replies (a 503 or 413 for a batch that was stored in part): not
   * acknowledged.
   */
  long partiallyAcceptedInWindow;

  long ackedReadingsTotal;
  long requestsSentTotal;

  ConnectionWorker(
      int index,
      LoadSettings settings,
      RequestFactory requests,
      AtomicLong nextReading,
      AckRecorder recorder,
      Clock clock,
      AtomicReference<ApiToken.Rejected> refused) {
    this.index = index;
    this.settings = settings;
    this.requests = requests;
    this.nextReading = nextReading;
    this.recorder = recorder;
    this.clock = clock;
    this.refused = refused;
    this.connection =
        new HttpConnection(settings.url().getHost(), settings.port(), settings.timeout());
  }

  void schedule(long startNanos, long measureFromNanos, long measureToNanos) {
    this.start = startNanos;
    this.measureFrom = measureFromNanos;
    this.measureTo = measureToNanos;
  }

  private long intended(long k) {
    return start
        + (long)
            ((index + (double) k * settings.connections()) * 1e9 / settings.requestsPerSecond());
  }

  @Override
  public void run() {
    int r = settings.readingsPerRequest();
    try {
      for (long k = 0; ; k++) {
        long intended = intended(k);
        if (intended >= measureTo || refused.get() != null) break;
        long now = System.nanoTime();
        if (now >= measureTo) {
          // behind schedule when the window closed: the rest of the due arrivals are never sent
          oldestUnsentNanos = measureTo - intended;
          for (long j = k; intended(j) < measureTo; j++) unsent++;
          break;
        }
        long base = nextReading.getAndAdd(r);
        String timestamp = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        byte[] body = requests.body(base, timestamp);
        byte[] head = head(base, body.length);
        // in slices, so that a refused token elsewhere stops a connection with a long gap between
        // arrivals
        while ((now = System.nanoTime()) < intended && refused.get() == null) {
          LockSupport.parkNanos(Math.min(intended - now, MAX_PARK_NANOS));
        }
        if (refused.get() != null) break;
        long sent = System.nanoTime();
        requestsSentTotal++;
        if (inWindow(sent)) sentInWindow++;
        HttpConnection.Reply reply;
        try {
          reply = connection.exchange(head, body);
        } catch (IOException e) {
          // a timeout, or e.g. connection refused; every due arrival is one attempt, and one error
          errorsTotal++;
          if (inWindow(System.nanoTime())) {
            if (e instanceof SocketTimeoutException) timeouts++;
            else ioErrors++;
            noteError(e);
          }
          continue;
        }
        long done = System.nanoTime();
        if (ApiToken.refused(reply.status())) {
          refused.compareAndSet(
              null,
              ApiToken.rejected(
                  reply.status(),
                  "POST " + requests.path(base),
                  settings.token() != null,
                  reply.body()));
          break;
        }
        boolean counted = inWindow(done);
        int status = Math.min(Math.max(reply.status(), 0), statusCounts.length - 1);
        statusCountsTotal[status]++;
        if (counted) statusCounts[status]++;
        if (status != 202) {
          if (counted) {
            noteBody(status, reply.body());
            partiallyAcceptedInWindow += Ack.acceptedIn(reply.body());
          }
          continue;
        }
        Ack ack;
        try {
          ack = Ack.parse(reply.body());
        } catch (IOException e) {
          errorsTotal++;
          if (counted) {
            badReplies++;
            noteError(e);
          }
          continue;
        }
        ackedReadingsTotal += ack.accepted();
        if (recorder != null) recorder.acknowledged(requests, base, r, ack);
        if (counted) {
          ackedRequestsInWindow++;
          ackedReadingsInWindow += ack.accepted();
          duplicatesInWindow += ack.duplicates();
          rejectedInWindow += ack.rejected().cardinality();
          ackLatency.recordValue(micros(done - intended));
          ackServiceTime.recordValue(micros(done - sent));
        }
      }
    } finally {
      connection.close();
    }
  }

  private boolean inWindow(long t) {
    return t >= measureFrom && t < measureTo;
  }

  private byte[] head(long base, int length) {
    if (settings.mode() == LoadSettings.Mode.SINGLE || length != cachedHeadLength) {
      byte[] h =
          HttpConnection.postHead(
              settings.url().getHost(),
              settings.port(),
              requests.path(base),
              requests.contentType(),
              length,
              settings.token());
      // batch modes: same path and content type for every request; reuse while the length repeats
      if (settings.mode() == LoadSettings.Mode.SINGLE) return h;
      cachedHead = h;
      cachedHeadLength = length;
    }
    return cachedHead;
  }

  private static long micros(long nanos) {
    return Math.max(1, Math.min(MAX_MICROS, nanos / 1000));
  }

  private void noteError(Exception e) {
    if (firstError == null) firstError = e.toString();
  }

  private void noteBody(int status, byte[] body) {
    int s = Math.min(Math.max(status, 0), firstBodyByStatus.length - 1);
    if (firstBodyByStatus[s] == null) {
      String text = new String(body, StandardCharsets.UTF_8);
      firstBodyByStatus[s] = text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
  }
}
