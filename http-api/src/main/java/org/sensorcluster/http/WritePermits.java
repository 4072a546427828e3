package org.sensorcluster.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission control for writes: at most {@code max} sensor writes (one per sensor per request or
 * batch chunk) in flight on this node. A request whose writes do not fit is refused at once with
 * 503 + Retry-After, before anything is written, instead of being queued behind the journal until
 * its asks time out: offered more than the journal absorbs, the node keeps acknowledging what it
 * can (goodput) rather than letting every request time out (measured: docs/benchmarks.md). A
 * request is always admitted when nothing is in flight, so one larger than {@code max} still runs.
 */
final class WritePermits {

  private final int max;
  private final AtomicInteger inFlight = new AtomicInteger();

  WritePermits(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max-writes-in-flight must be at least 1, got " + max);
    }
    this.max = max;
  }

  boolean tryAcquire(int writes) {
    while (true) {
      int current = inFlight.get();
      if (current > 0 && current + writes > max) {
        HttpMetrics.WRITES_REFUSED.inc(writes);
        return false;
      }
      if (inFlight.compareAndSet(current, current + writes)) {
        return true;
      }
    }
  }

  void release(int writes) {
    inFlight.addAndGet(-writes);
  }

  int inFlight() {
    return inFlight.get();
  }

  int max() {
    return max;
  }
}
