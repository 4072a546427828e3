package org.sensorcluster.node;

import java.util.Arrays;

/**
 * Where a fleet stream stands in the journal: per event tag, the {@code ordering} of the last event
 * of that tag it has passed. One number per tag, because the tags are read by separate queries
 * whose events interleave in no fixed order: a single ordering could not say which events came
 * before. Written as the numbers joined by '.', the stream's event ids.
 */
final class FleetPosition {

  private FleetPosition() {}

  static String format(long[] offsets) {
    StringBuilder b = new StringBuilder(offsets.length * 8);
    for (int i = 0; i < offsets.length; i++) {
      if (i > 0) {
        b.append('.');
      }
      b.append(offsets[i]);
    }
    return b.toString();
  }

  /**
   * @throws IllegalArgumentException when {@code id} is not {@code tagCount} numbers >= 0 joined by
   *     '.'
   */
  static long[] parse(String id, int tagCount) {
    String[] parts = id.split("\\.", -1);
    if (parts.length != tagCount) {
      throw new IllegalArgumentException(
          "expected " + tagCount + " numbers joined by '.', got '" + abbreviate(id) + "'");
    }
    long[] offsets = new long[tagCount];
    for (int i = 0; i < tagCount; i++) {
      offsets[i] = number(parts[i], id);
    }
    return offsets;
  }

  /** A sensor stream's id: a sequence number >= 0. */
  static long sequenceNr(String id) {
    return number(id, id);
  }

  static long[] filled(int tagCount, long offset) {
    long[] offsets = new long[tagCount];
    Arrays.fill(offsets, offset);
    return offsets;
  }

  private static long number(String part, String id) {
    if (!part.isEmpty()
        && part.length() <= 19
        && part.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Long.parseLong(part);
      } catch (NumberFormatException e) {
        // beyond a long: below
      }
    }
    throw new IllegalArgumentException("expected numbers >= 0, got '" + abbreviate(id) + "'");
  }

  private static String abbreviate(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }
}
