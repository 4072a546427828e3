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
  private final List<Refusal> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<String> slow = new java.util.concurrent.CopyOnWriteArrayList<>();

  List<String> samples() {
    return samples;
  }

  void sample(String s) {
    if (samples.size() < 20) {
      samples.add(s.length() > 500 ? s.substring(0, 500) + "..." : s);
    }
  }

  /**
   * A 503: when (seconds after the load started), and whether the client must wait before it sends
   * again (any 503 but a draining node's own "shutting-down" with {@code Retry-After: 0}).
   */
  record Refusal(double at, boolean toWaitOut, String text) {}

  /**
   * Records a 503: when (seconds after the load started), from which host, its problem type, its
   * Retry-After, how many of the batch's readings it left unconfirmed, how long it took and its
   * detail.
   */
  void refusal(
      double at, String url, String type, String retryAfter, int unconfirmed, long ms, String why) {
    if (refusals.size() < 100) {
      String kind = type.substring(type.lastIndexOf('/') + 1);
      boolean toWaitOut = !(kind.equals("shutting-down") && retryAfter.equals("0"));
      refusals.add(
          new Refusal(
              at,
              toWaitOut,
              String.format(
                  java.util.Locale.ROOT,
                  "%.1fs %s %s RA=%s unconfirmed=%d %dms %s",
                  at,
                  host(url),
                  kind,
                  retryAfter,
                  unconfirmed,
                  ms,
                  why.length() > 90 ? why.substring(0, 90) + "..." : why)));
    }
  }

  /** Records a reply that took a second or more: sent when, to which host, its status. */
  void slow(double sentAt, String url, int status, long ms) {
    if (slow.size() < 100) {
      slow.add(
          String.format(java.util.Locale.ROOT, "%.1fs %s %d %dms", sentAt, host(url), status, ms));
    }
  }

  /** The replies that took a second or more ({@link #slow(double, String, int, long)}). */
  List<String> slow() {
    return slow;
  }

  private static String host(String url) {
    return url.replaceFirst("^https?://", "").replaceFirst(":\\d+$", "");
  }

  /** The 503s, in the order they came ({@link #refusal}). */
  List<Refusal> refusals() {
    return refusals;
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
