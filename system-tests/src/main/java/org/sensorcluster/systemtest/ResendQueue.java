package org.sensorcluster.systemtest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The {@link LoadDriver}'s batches to send again (same readingIds) once their {@code Retry-After}
 * passed; readings first sent more than {@link #GIVE_UP_AFTER} ago are abandoned instead.
 */
final class ResendQueue {

  static final Duration GIVE_UP_AFTER = Duration.ofSeconds(180);

  private final ConcurrentLinkedQueue<PendingBatch> resends = new ConcurrentLinkedQueue<>();
  private final LoadCounters counters;

  ResendQueue(LoadCounters counters) {
    this.counters = counters;
  }

  /** A batch whose time has come, taken off the queue; null when there is none. */
  PendingBatch next() {
    long now = System.nanoTime();
    for (PendingBatch p : resends) {
      if (p.notBefore() <= now && resends.remove(p)) {
        return p;
      }
    }
    return null;
  }

  void retryLater(PendingBatch p, List<LoadDriver.Item> items, String url, Duration after) {
    if (System.nanoTime() - p.firstSent() > GIVE_UP_AFTER.toNanos()) {
      counters.abandonedItems.addAndGet(items.size());
      return;
    }
    counters.resentItems.addAndGet(items.size());
    resends.add(
        new PendingBatch(
            items, System.nanoTime() + after.toNanos(), url, p.firstSent(), p.attempts() + 1));
  }

  boolean isEmpty() {
    return resends.isEmpty();
  }

  long pendingItems() {
    return resends.stream().mapToLong(p -> p.items().size()).sum();
  }

  /** Counts what is still queued as abandoned and empties the queue. */
  void abandonAll() {
    for (PendingBatch p : resends) {
      counters.abandonedItems.addAndGet(p.items().size());
    }
    resends.clear();
  }
}
