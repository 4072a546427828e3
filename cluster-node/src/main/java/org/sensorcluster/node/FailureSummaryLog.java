package org.sensorcluster.node;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
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
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong lastLine = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);
  private volatile String lastMessage = "";

  FailureSummaryLog(Logger log, String what, Duration interval) {
    this.log = log;
    this.what = what;
    this.interval = interval;
    this.intervalNanos = interval.toNanos();
  }

  void failed(String message) {
    lastMessage = message;
    count.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLine.get();
    if (now - last >= intervalNanos && lastLine.compareAndSet(last, now)) {
      long n = count.getAndSet(0);
      log.warn("{} {} since the last such line (at most one per {}); the last one: {}", n, what, interval,
          lastMessage);
    }
  }
}
