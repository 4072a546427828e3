package org.sensorcluster.node;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Opens after {@code maxFailures} consecutive failed writes <em>with no successful write within the
 * last {@code quietWindow}</em>, and then refuses writes for {@code resetTimeout}; after that,
 * writes are let through again and a single failure re-opens it.
 *
 * <p>The quiet window tells a failing journal (nothing succeeds) from a burst of sensors recovering
 * (many writes succeed while those queued behind recoveries time out): a plain consecutive-failure
 * count opened on the latter and turned a slow start into refusals (measured: 10,000 new sensors,
 * 2,000-3,000 refused requests in 30 s with the plain count, 17 without a breaker).
 *
 * <p>Ours rather than Pekko's {@code CircuitBreaker}: its CompletionStage variant converts through
 * Scala futures onto the JDK's default async executor, which on a 2-core machine starts one thread
 * per call (ForkJoinPool.commonPool has parallelism 1 there). This one allocates nothing per call.
 */
final class WriteCircuitBreaker {

  private final int maxFailures;
  private final long resetNanos;
  private final long quietNanos;
  private final AtomicLong lastSuccess;
  private final LongSupplier nanoClock;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicLong openUntil = new AtomicLong(Long.MIN_VALUE);

  WriteCircuitBreaker(
      int maxFailures, Duration resetTimeout, Duration quietWindow, LongSupplier nanoClock) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("max-failures must be >= 1");
    }
    this.maxFailures = maxFailures;
    this.resetNanos = resetTimeout.toNanos();
    this.quietNanos = quietWindow.toNanos();
    this.nanoClock = nanoClock;
    this.lastSuccess = new AtomicLong(nanoClock.getAsLong() - quietNanos - 1);
  }

  WriteCircuitBreaker(int maxFailures, Duration resetTimeout, Duration quietWindow) {
    this(maxFailures, resetTimeout, quietWindow, System::nanoTime);
  }

  /** How long the breaker stays open from now; zero when writes may go through. */
  Duration remainingOpen() {
    long until = openUntil.get();
    long left = until == Long.MIN_VALUE ? 0 : until - nanoClock.getAsLong();
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }

  boolean isOpen() {
    return !remainingOpen().isZero();
  }

  void recordSuccess() {
    lastSuccess.set(nanoClock.getAsLong());
    consecutiveFailures.set(0);
    openUntil.set(Long.MIN_VALUE);
  }

  void recordFailure() {
    boolean trial = openUntil.get() != Long.MIN_VALUE; // failed again right after an open period
    long now = nanoClock.getAsLong();
    boolean quiet = now - lastSuccess.get() > quietNanos;
    if (trial || consecutiveFailures.incrementAndGet() >= maxFailures && quiet) {
      openUntil.set(now + resetNanos);
      consecutiveFailures.set(0);
    }
  }
}
