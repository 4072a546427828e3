package org.sensorcluster.node;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One WARN line per interval for a kind of failure that can come thousands of times a second (a
 * journal outage fails every in-flight write): the count since the last line and the last failure's
 * message, instead of one line (and a stack trace) per failure.
 */
final class FailureSummaryLog {

  private final Logger log;
  private final String what;
  private final Duration interval;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong lastLine;
  private volatile String lastMessage = "";

  FailureSummaryLog(Logger log, String what, Duration interval) {
    this(log, what, interval, System::nanoTime);
  }

  /** With {@code nanoTime} as the ticker (a test's fake one). */
  FailureSummaryLog(Logger log, String what, Duration interval, LongSupplier nanoTime) {
    this.log = log;
    this.what = what;
    this.interval = interval;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.lastLine = new AtomicLong(nanoTime.getAsLong() - Long.MAX_VALUE / 2);
  }

  void failed(String message) {
    lastMessage = message;
    count.incrementAndGet();
    long now = nanoTime.getAsLong();
    long last = lastLine.get();
    if (now - last >= intervalNanos && lastLine.compareAndSet(last, now)) {
      long n = count.getAndSet(0);
      log.warn(
          "{} {} since the last such line (at most one per {}); the last one: {}",
          n,
          what,
          interval,
          lastMessage);
    }
  }
}
