package org.sensorcluster.systemtest;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The wall-clock seconds of the load phase (from {@link #start} to {@link #end}) and which of them
 * had service: a request that got a 202, a reading acknowledged at all (also by a partial 503).
 */
final class ServiceSeconds {

  private final Set<Long> secondsWithSuccess = ConcurrentHashMap.newKeySet();

  /** seconds in which at least one reading was acknowledged (also by a partial 503) */
  private final Set<Long> secondsWithAck = ConcurrentHashMap.newKeySet();

  private volatile long startSecond;
  private volatile long endSecond;

  void start() {
    startSecond = Instant.now().getEpochSecond();
  }

  /** Seconds since the load phase started (to place an event in the outage list). */
  double sinceStart() {
    return Instant.now().toEpochMilli() / 1000.0 - startSecond;
  }

  void end() {
    endSecond = Instant.now().getEpochSecond();
  }

  /** A request got a 202 now. */
  void success() {
    secondsWithSuccess.add(Instant.now().getEpochSecond());
  }

  /** A reading was acknowledged now. */
  void acknowledged() {
    secondsWithAck.add(Instant.now().getEpochSecond());
  }

  /** Seconds of the load phase (start to {@link #end}) in which no request got a 202. */
  long secondsWithoutService() {
    return secondsWithout(secondsWithSuccess);
  }

  /**
   * Seconds of the load phase in which not a single reading was acknowledged (not even by a partial
   * 503).
   */
  long secondsWithoutAnyAck() {
    return secondsWithout(secondsWithAck);
  }

  /**
   * Whole seconds between {@code from} and {@code to} (seconds since the load started; the partial
   * seconds at both ends are left out) in which no request got a 202.
   */
  long secondsWithoutServiceBetween(double from, double to) {
    return secondsWithout(
        secondsWithSuccess, startSecond + (long) Math.ceil(from), startSecond + (long) to);
  }

  private long secondsWithout(Set<Long> with) {
    long end = endSecond == 0 ? Instant.now().getEpochSecond() : endSecond;
    return secondsWithout(with, startSecond, end);
  }

  /** Seconds in {@code [from, end)} (epoch seconds) that are not in {@code with}. */
  private static long secondsWithout(Set<Long> with, long from, long end) {
    long n = 0;
    for (long s = from; s < end; s++) {
      if (!with.contains(s)) {
        n++;
      }
    }
    return n;
  }

  /** The longest run of consecutive seconds without service. */
  long longestOutage() {
    long end = endSecond == 0 ? Instant.now().getEpochSecond() : endSecond;
    long longest = 0;
    long current = 0;
    for (long s = startSecond; s < end; s++) {
      current = secondsWithSuccess.contains(s) ? 0 : current + 1;
      longest = Math.max(longest, current);
    }
    return longest;
  }

  /**
   * The runs of seconds without service, as {@code [start+length, ...]} with start in seconds after
   * the load started (the scenario's timeline says when that was), to match them with its events.
   */
  String outages() {
    long end = endSecond == 0 ? Instant.now().getEpochSecond() : endSecond;
    java.util.List<String> runs = new java.util.ArrayList<>();
    long runStart = -1;
    for (long s = startSecond; s <= end; s++) {
      boolean without = s < end && !secondsWithSuccess.contains(s);
      if (without && runStart < 0) {
        runStart = s;
      } else if (!without && runStart >= 0) {
        runs.add((runStart - startSecond) + "+" + (s - runStart) + "s");
        runStart = -1;
      }
    }
    return runs.toString();
  }

  /** Length of the load phase so far, in seconds. */
  long loadSeconds() {
    return (endSecond == 0 ? Instant.now().getEpochSecond() : endSecond) - startSecond;
  }
}
