package org.sensorcluster.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits offered readings into new ones, duplicates and conflicts against the remembered ids of a
 * sensor and the earlier readings of the same batch: the rule behind {@link SensorState#decide}.
 */
final class DuplicateFilter {

  private DuplicateFilter() {}

  /**
   * The decision for {@code incoming} given the sensor's {@code recentIds}; {@code receivedAt} is
   * the request's receive time (readings stamped with it are compared by value only), or null.
   */
  static SensorState.Decision decide(
      RecentReadingIds recentIds, List<Reading> incoming, Instant receivedAt) {
    List<Reading> fresh = new ArrayList<>(incoming.size());
    long[] batch = new long[2 * incoming.size()];
    long[] batchContents = new long[incoming.size()];
    int batchIds = 0;
    int duplicates = 0;
    List<Integer> conflicts = List.of();
    long[] fp = new long[2];
    for (int k = 0; k < incoming.size(); k++) {
      Reading r = incoming.get(k);
      if (r.readingId() == null) {
        fresh.add(r);
        continue;
      }
      ReadingIdHash.hash(r.readingId(), fp, 0);
      long content = ReadingIdHash.content(r);
      int inBatch = indexOfPair(batch, batchIds, fp[0], fp[1]);
      int inWindow = inBatch >= 0 ? -1 : recentIds.indexOf(fp[0], fp[1]);
      if (inBatch < 0 && inWindow < 0) {
        batch[2 * batchIds] = fp[0];
        batch[2 * batchIds + 1] = fp[1];
        batchContents[batchIds] = content;
        batchIds++;
        fresh.add(r);
        continue;
      }
      long stored = inBatch >= 0 ? batchContents[inBatch] : recentIds.contentAt(inWindow);
      boolean valueOnly = receivedAt != null && r.timestamp().equals(receivedAt);
      if (stored == 0
          || (valueOnly ? ReadingIdHash.sameValue(stored, content) : stored == content)) {
        duplicates++;
      } else {
        if (conflicts.isEmpty()) {
          conflicts = new ArrayList<>();
        }
        conflicts.add(k);
      }
    }
    return new SensorState.Decision(fresh, duplicates, conflicts);
  }

  private static int indexOfPair(long[] pairs, int count, long high, long low) {
    for (int i = count - 1; i >= 0; i--) {
      if (pairs[2 * i] == high && pairs[2 * i + 1] == low) {
        return i;
      }
    }
    return -1;
  }
}
