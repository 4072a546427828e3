package org.sensorcluster.domain;

import java.util.Arrays;

/**
 * The last reading ids a sensor recorded, as 128-bit fingerprints ({@link ReadingIdHash}), oldest
 * first: {@code fingerprints[2i], fingerprints[2i+1]} is the i-th id. Immutable: {@link #plus} copies.
 * A sensor that never sent ids costs an empty array; a full window of 256 ids costs 4 KiB.
 */
public record RecentReadingIds(long[] fingerprints) {

  public static final RecentReadingIds EMPTY = new RecentReadingIds(new long[0]);

  public RecentReadingIds {
    if (fingerprints == null || fingerprints.length % 2 != 0) {
      throw new IllegalArgumentException("fingerprints must hold pairs");
    }
  }

  public int size() {
    return fingerprints.length / 2;
  }

  public boolean contains(long high, long low) {
    long[] f = fingerprints;
    for (int i = f.length - 2; i >= 0; i -= 2) { // newest first: retries are usually recent
      if (f[i] == high && f[i + 1] == low) {
        return true;
      }
    }
    return false;
  }

  /**
   * A copy that also remembers {@code count} new fingerprints (pairs in {@code added}), keeping only
   * the newest {@code capacity}.
   */
  public RecentReadingIds plus(long[] added, int count, int capacity) {
    if (count == 0 && size() <= capacity) {
      return this;
    }
    int keepOld = Math.max(0, Math.min(size(), capacity - count));
    int keepNew = Math.min(count, capacity);
    long[] next = new long[2 * (keepOld + keepNew)];
    System.arraycopy(fingerprints, fingerprints.length - 2 * keepOld, next, 0, 2 * keepOld);
    System.arraycopy(added, 2 * (count - keepNew), next, 2 * keepOld, 2 * keepNew);
    return new RecentReadingIds(next);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecentReadingIds other && Arrays.equals(fingerprints, other.fingerprints);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(fingerprints);
  }

  @Override
  public String toString() {
    return "RecentReadingIds[size=" + size() + "]";
  }
}
