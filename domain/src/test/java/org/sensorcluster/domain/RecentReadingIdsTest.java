package org.sensorcluster.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentReadingIdsTest {

  /** Fingerprint pairs {@code (n, -n)} for n = from..to inclusive, oldest first. */
  private static long[] pairs(int from, int to) {
    long[] out = new long[2 * (to - from + 1)];
    for (int n = from; n <= to; n++) {
      out[2 * (n - from)] = n;
      out[2 * (n - from) + 1] = -n;
    }
    return out;
  }

  private static RecentReadingIds of(int from, int to) {
    return new RecentReadingIds(pairs(from, to));
  }

  @Test
  void emptyHasSizeZero() {
    assertEquals(0, RecentReadingIds.EMPTY.size());
    assertFalse(RecentReadingIds.EMPTY.contains(0, 0));
  }

  @Test
  void rejectsOddOrNullArrays() {
    assertThrows(IllegalArgumentException.class, () -> new RecentReadingIds(new long[3]));
    assertThrows(IllegalArgumentException.class, () -> new RecentReadingIds(null));
  }

  @Test
  void plusAppendsOldestFirst() {
    RecentReadingIds ids = RecentReadingIds.EMPTY.plus(pairs(1, 3), 3, 10).plus(pairs(4, 5), 2, 10);
    assertEquals(5, ids.size());
    assertArrayEquals(pairs(1, 5), ids.fingerprints());
  }

  @Test
  void plusKeepsNewestCapacityAndDropsOldest() {
    RecentReadingIds ids = of(1, 4).plus(pairs(5, 6), 2, 4);
    assertArrayEquals(pairs(3, 6), ids.fingerprints());
    assertFalse(ids.contains(1, -1));
    assertFalse(ids.contains(2, -2));
    assertTrue(ids.contains(3, -3));
    assertTrue(ids.contains(6, -6));
  }

  @Test
  void plusOneAtATimeSlidesWindow() {
    RecentReadingIds ids = RecentReadingIds.EMPTY;
    for (int n = 1; n <= 10; n++) {
      ids = ids.plus(pairs(n, n), 1, 3);
      assertTrue(ids.size() <= 3);
    }
    assertArrayEquals(pairs(8, 10), ids.fingerprints());
  }

  @Test
  void plusWithMoreThanCapacityKeepsLastOfAdded() {
    RecentReadingIds ids = of(1, 2).plus(pairs(10, 15), 6, 4);
    assertArrayEquals(pairs(12, 15), ids.fingerprints());
  }

  @Test
  void plusWithExactlyCapacityReplacesAll() {
    assertArrayEquals(pairs(10, 13), of(1, 4).plus(pairs(10, 13), 4, 4).fingerprints());
  }

  @Test
  void plusUsesOnlyCountPairsOfAddedArray() {
    long[] added = new long[10]; // room for 5 pairs, only the first 2 are meaningful
    System.arraycopy(pairs(7, 8), 0, added, 0, 4);
    assertArrayEquals(pairs(7, 8), RecentReadingIds.EMPTY.plus(added, 2, 10).fingerprints());
  }

  @Test
  void plusNothingWithinCapacityReturnsSameInstance() {
    RecentReadingIds ids = of(1, 3);
    assertSame(ids, ids.plus(new long[0], 0, 3));
  }

  @Test
  void plusNothingShrinksWhenCapacityLowered() {
    assertArrayEquals(pairs(3, 4), of(1, 4).plus(new long[0], 0, 2).fingerprints());
  }

  @Test
  void plusDoesNotModifyOriginal() {
    RecentReadingIds before = of(1, 4);
    long[] snapshot = before.fingerprints().clone();
    before.plus(pairs(5, 9), 5, 4);
    assertArrayEquals(snapshot, before.fingerprints());
  }

  @Test
  void containsMatchesWholePairOnly() {
    RecentReadingIds ids = of(1, 3);
    assertTrue(ids.contains(2, -2));
    assertFalse(ids.contains(2, 2));
    assertFalse(ids.contains(-2, 2)); // halves of a pair are not interchangeable
    assertFalse(ids.contains(-1, 2)); // low of one entry + high of the next is not an entry
  }

  @Test
  void equalsAndHashCodeByContent() {
    RecentReadingIds a = of(1, 3);
    RecentReadingIds b = new RecentReadingIds(pairs(1, 3));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, of(1, 4));
    assertNotEquals(a, of(2, 4));
    assertEquals(RecentReadingIds.EMPTY, new RecentReadingIds(new long[0]));
  }

  @Test
  void toStringShowsSizeOnly() {
    assertEquals("RecentReadingIds[size=3]", of(1, 3).toString());
  }
}
