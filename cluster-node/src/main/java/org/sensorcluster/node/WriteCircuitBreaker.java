package org.sensorcluster.node;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Opens after {@code maxFailures} consecutive failed writes and then refuses writes for
 * {@code resetTimeout}; after that, writes are let through again and a single failure re-opens it.
 *
 * <p>Ours rather than Pekko's {@code CircuitBreaker}: its CompletionStage variant converts through
 * Scala futures onto the JDK's default async executor, which on a 2-core machine starts one thread
 * per call (ForkJoinPool.commonPool has parallelism 1 there). This one allocates nothing per call.
 */
final class WriteCircuitBreaker {

  private final int maxFailures;
  private final long resetNanos;
  private final LongSupplier nanoClock;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicLong openUntil = new AtomicLong(Long.MIN_VALUE);

  WriteCircuitBreaker(int maxFailures, Duration resetTimeout, LongSupplier nanoClock) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("max-failures must be >= 1");
    }
    this.maxFailures = maxFailures;
    this.resetNanos = resetTimeout.toNanos();
    this.nanoClock = nanoClock;
  }

  WriteCircuitBreaker(int maxFailures, Duration resetTimeout) {
    this(maxFailures, resetTimeout, System::nanoTime);
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
    consecutiveFailures.set(0);
    openUntil.set(Long.MIN_VALUE);
  }

  void recordFailure() {
    boolean trial = openUntil.get() != Long.MIN_VALUE; // failed again right after an open period
    if (trial || consecutiveFailures.incrementAndGet() >= maxFailures) {
      openUntil.set(nanoClock.getAsLong() + resetNanos);
      consecutiveFailures.set(0);
    }
  }
}
