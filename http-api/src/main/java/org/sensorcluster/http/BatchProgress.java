package org.sensorcluster.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * How far one batch request has come: when the last of its sensor writes was confirmed. A sensor
 * write of a batch waits for its confirmation as long as the batch keeps making progress (a cold
 * node recovering thousands of new sensors confirms them one after another, each later than the ask
 * timeout after the batch began), and fails once no write of the batch was confirmed for the ask
 * timeout (the journal or the sensor's node is gone), as a single write does.
 */
public final class BatchProgress {

  private final LongSupplier nanoTime;
  private final AtomicLong lastConfirmed;

  /** {@code nanoTime}: {@code System::nanoTime}, or a fake one in tests. */
  public BatchProgress(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.lastConfirmed = new AtomicLong(nanoTime.getAsLong());
  }

  /** A write of this batch was confirmed now. */
  public void confirmed() {
    long now = nanoTime.getAsLong();
    lastConfirmed.accumulateAndGet(now, (a, b) -> a - b >= 0 ? a : b);
  }

  /**
   * Nanoseconds from now until a write that began at {@code began} ({@link #now()}) has waited
   * {@code window} without any write of this batch confirmed; zero or less: it has.
   */
  public long nanosUntilStalled(long began, Duration window) {
    long last = lastConfirmed.get();
    long from = last - began > 0 ? last : began;
    return from + window.toNanos() - nanoTime.getAsLong();
  }

  /** The clock of this progress, for {@link #nanosUntilStalled}'s {@code began}. */
  public long now() {
    return nanoTime.getAsLong();
  }

  /**
   * {@code asked} (one write of this batch, begun now), failed with a {@link TimeoutException} as
   * soon as no write of the batch was confirmed for {@code window}: checked when that time has
   * passed, and again each time the batch moved on meanwhile. {@code schedule} runs a task after a
   * delay.
   */
  public <T> CompletableFuture<T> whileProgressing(
      CompletionStage<T> asked, Duration window, BiConsumer<Duration, Runnable> schedule) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    asked.whenComplete(
        (v, t) -> {
          if (t != null) {
            answer.completeExceptionally(t);
          } else {
            answer.complete(v);
          }
        });
    watch(answer, now(), window, schedule);
    return answer;
  }

  private void watch(
      CompletableFuture<?> answer,
      long began,
      Duration window,
      BiConsumer<Duration, Runnable> schedule) {
    if (answer.isDone()) {
      return;
    }
    long left = nanosUntilStalled(began, window);
    if (left <= 0) {
      answer.completeExceptionally(
          new TimeoutException("no write of its batch was confirmed for " + window));
      return;
    }
    schedule.accept(Duration.ofNanos(left), () -> watch(answer, began, window, schedule));
  }
}
