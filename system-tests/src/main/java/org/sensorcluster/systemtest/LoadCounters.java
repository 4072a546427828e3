package org.sensorcluster.systemtest;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** What the {@link LoadDriver} counted: requests, replies by kind, items, and sample replies. */
final class LoadCounters {

  final AtomicLong requests = new AtomicLong();
  final AtomicLong ok202 = new AtomicLong();
  final AtomicLong refused503 = new AtomicLong();
  final AtomicLong partial503 = new AtomicLong();
  final AtomicLong otherStatus = new AtomicLong();
  final AtomicLong transportErrors = new AtomicLong();
  final AtomicLong timeouts = new AtomicLong();
  final AtomicLong rejectedItems = new AtomicLong();
  final AtomicLong duplicateReplies = new AtomicLong();
  final AtomicLong inconsistentReplies = new AtomicLong();
  final AtomicLong resentItems = new AtomicLong();
  final AtomicLong abandonedItems = new AtomicLong();
  final AtomicLong sentItems = new AtomicLong();
  private final List<String> samples = new java.util.concurrent.CopyOnWriteArrayList<>();

  List<String> samples() {
    return samples;
  }

  void sample(String s) {
    if (samples.size() < 20) {
      samples.add(s.length() > 500 ? s.substring(0, 500) + "..." : s);
    }
  }

  String summary(ServiceSeconds window) {
    return String.format(
        "requests=%d 202=%d 503=%d (with unconfirmed: %d) otherStatus=%d timeouts=%d transportErrors=%d"
            + " sentItems=%d resentItems=%d abandonedItems=%d rejectedItems=%d inconsistentReplies=%d"
            + " repliesWithDuplicates=%d longestOutage=%ds secondsWithoutAnyAck=%d loadSeconds=%d"
            + " outages=%s",
        requests.get(),
        ok202.get(),
        refused503.get(),
        partial503.get(),
        otherStatus.get(),
        timeouts.get(),
        transportErrors.get(),
        sentItems.get(),
        resentItems.get(),
        abandonedItems.get(),
        rejectedItems.get(),
        inconsistentReplies.get(),
        duplicateReplies.get(),
        window.longestOutage(),
        window.secondsWithoutAnyAck(),
        window.loadSeconds(),
        window.outages());
  }
}
