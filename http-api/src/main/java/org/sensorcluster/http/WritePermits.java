package org.sensorcluster.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.sensorcluster.domain.auth.Principal;

/**
 * Admission control for writes: at most {@code max} sensor writes (one per sensor per request or
 * batch chunk) in flight on this node. A request whose writes do not fit is refused at once with
 * 503 + Retry-After, before anything is written, instead of being queued behind the journal until
 * its asks time out: offered more than the journal absorbs, the node keeps acknowledging what it
 * can (goodput) rather than letting every request time out (measured: docs/benchmarks.md). A
 * request is always admitted when nothing is in flight, so one larger than {@code max} still runs;
 * likewise a batch chunk when nothing but its own request's other chunks is in flight (a large
 * batch on an otherwise idle node is never refused because of itself).
 *
 * <p>A token with a quota (a device) may hold at most {@code tokenShare} of {@code max} (at least
 * one request's worth when it holds nothing): beyond that it is refused with {@link
 * Admission#TOKEN_FULL} (429), and the permits stay with the other devices.
 */
final class WritePermits {

  /** What {@link #tryAcquire(Principal, int)} decided. */
  enum Admission {
    ADMITTED,
    NODE_FULL,
    TOKEN_FULL
  }

  private final int max;
  private final int perToken;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> byToken = new ConcurrentHashMap<>();

  WritePermits(int max) {
    this(max, 1.0);
  }

  WritePermits(int max, double tokenShare) {
    if (max < 1) {
      throw new IllegalArgumentException("max-writes-in-flight must be at least 1, got " + max);
    }
    this.max = max;
    this.perToken = Math.max(1, (int) Math.floor(max * tokenShare));
  }

  boolean tryAcquire(int writes) {
    return tryAcquire(writes, 0);
  }

  /**
   * {@code writes} more, for a request that already holds {@code own} of the writes in flight:
   * refused only when others hold some and the total would pass {@code max}.
   */
  boolean tryAcquire(int writes, int own) {
    while (true) {
      int current = inFlight.get();
      if (current - own > 0 && current + writes > max) {
        HttpMetrics.WRITES_REFUSED.inc(writes);
        return false;
      }
      if (inFlight.compareAndSet(current, current + writes)) {
        return true;
      }
    }
  }

  /** {@link #tryAcquire(int)}, and for a token with a quota, within its share. */
  Admission tryAcquire(Principal who, int writes) {
    return tryAcquire(who, writes, 0);
  }

  /**
   * {@link #tryAcquire(int, int)}, and for a token with a quota, within its share (again not
   * counting {@code own}).
   */
  Admission tryAcquire(Principal who, int writes, int own) {
    if (who.quota().unlimited() || perToken >= max) {
      return tryAcquire(writes, own) ? Admission.ADMITTED : Admission.NODE_FULL;
    }
    AtomicInteger mine = byToken.computeIfAbsent(who.tokenId(), k -> new AtomicInteger());
    while (true) {
      int current = mine.get();
      if (current - own > 0 && current + writes > perToken) {
        HttpMetrics.WRITES_REFUSED.inc(writes);
        return Admission.TOKEN_FULL;
      }
      if (mine.compareAndSet(current, current + writes)) {
        break;
      }
    }
    if (tryAcquire(writes, own)) {
      return Admission.ADMITTED;
    }
    mine.addAndGet(-writes);
    return Admission.NODE_FULL;
  }

  void release(int writes) {
    inFlight.addAndGet(-writes);
  }

  void release(Principal who, int writes) {
    release(writes);
    if (!who.quota().unlimited() && perToken < max) {
      AtomicInteger mine = byToken.get(who.tokenId());
      if (mine != null) {
        mine.addAndGet(-writes); // the entry stays: one small counter per device token seen
      }
    }
  }

  int inFlight() {
    return inFlight.get();
  }

  int max() {
    return max;
  }

  int perToken() {
    return perToken;
  }
}
