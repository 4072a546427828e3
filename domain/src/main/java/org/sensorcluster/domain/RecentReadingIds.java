package org.sensorcluster.domain;

import java.util.Arrays;

/**
 * The last reading ids a sensor recorded, as 128-bit fingerprints ({@link ReadingIdHash}), oldest
 * first: {@code fingerprints[2i], fingerprints[2i+1]} is the i-th id. {@code contents[i]} is the
 * {@link ReadingIdHash#content content fingerprint} (value and timestamp) of the reading stored
 * under the i-th id, 0 where it is unknown (remembered by a version that did not keep contents); a
 * null {@code contents} means unknown for every id (snapshots written before contents were kept).
 * Immutable: {@link #plus} copies. A sensor that never sent ids costs empty arrays; a full window
 * of 256 ids costs 6 KiB.
 */
public record RecentReadingIds(long[] fingerprints, long[] contents) {

  public static final RecentReadingIds EMPTY = new RecentReadingIds(new long[0]);

  public RecentReadingIds {
    if (fingerprints == null || fingerprints.length % 2 != 0) {
      throw new IllegalArgumentException("fingerprints must hold pairs");
    }
    if (contents != null && contents.length != fingerprints.length / 2) {
      contents = null; // not from this code: forget the contents rather than misattribute them
    }
  }

  /** Ids whose contents are unknown. */
  public RecentReadingIds(long[] fingerprints) {
    this(fingerprints, null);
  }

  public int size() {
    return fingerprints.length / 2;
  }

  public boolean contains(long high, long low) {
    return indexOf(high, low) >= 0;
  }

  /** Position of the id (newest occurrence), or -1. */
  public int indexOf(long high, long low) {
    long[] f = fingerprints;
    for (int i = f.length - 2; i >= 0; i -= 2) { // newest first: retries are usually recent
      if (f[i] == high && f[i + 1] == low) {
        return i / 2;
      }
    }
    return -1;
  }

  /** The content fingerprint of the i-th id, 0 when unknown. */
  public long contentAt(int i) {
    return contents == null ? 0 : contents[i];
  }

  /** As {@link #plus(long[], long[], int, int)} with unknown contents. */
  public RecentReadingIds plus(long[] added, int count, int capacity) {
    return plus(added, null, count, capacity);
  }

  /**
   * A copy that also remembers {@code count} new fingerprints (pairs in {@code added}, their
   * content fingerprints in {@code addedContents}, null when unknown), keeping only the newest
   * {@code capacity}.
   */
  public RecentReadingIds plus(long[] added, long[] addedContents, int count, int capacity) {
    if (count == 0 && size() <= capacity) {
      return this;
    }
    int keepOld = Math.max(0, Math.min(size(), capacity - count));
    int keepNew = Math.min(count, capacity);
    long[] next = new long[2 * (keepOld + keepNew)];
    System.arraycopy(fingerprints, fingerprints.length - 2 * keepOld, next, 0, 2 * keepOld);
    System.arraycopy(added, 2 * (count - keepNew), next, 2 * keepOld, 2 * keepNew);
    long[] nextContents = null;
    if (contents != null || addedContents != null) {
      nextContents = new long[keepOld + keepNew];
      if (contents != null) {
        System.arraycopy(contents, size() - keepOld, nextContents, 0, keepOld);
      }
      if (addedContents != null) {
        System.arraycopy(addedContents, count - keepNew, nextContents, keepOld, keepNew);
      }
    }
    return new RecentReadingIds(next, nextContents);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecentReadingIds other
        && Arrays.equals(fingerprints, other.fingerprints)
        && Arrays.equals(contents, other.contents);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(fingerprints) + Arrays.hashCode(contents);
  }

  @Override
  public String toString() {
    return "RecentReadingIds[size=" + size() + "]";
  }
}
