package org.sensorcluster.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorEvent;

/**
 * What one sensor knows about itself, rebuilt from its events (and stored in snapshots).
 *
 * @param readingCount readings stored so far (duplicates excluded)
 * @param lastReading the reading with the latest timestamp (a late reading never moves it back); null before the first
 * @param lastRecordedAt server time of the last stored event; null before the first
 * @param recentIds fingerprints of the newest reading ids, for duplicate detection
 */
public record SensorState(long readingCount, Reading lastReading, Instant lastRecordedAt,
                          RecentReadingIds recentIds) {

  public static final SensorState EMPTY = new SensorState(0, null, null, RecentReadingIds.EMPTY);

  public SensorState {
    if (recentIds == null) {
      recentIds = RecentReadingIds.EMPTY;
    }
  }

  /** The outcome of offering readings to this sensor: which are new, how many were duplicates. */
  public record Decision(List<Reading> toStore, int duplicates) {}

  /**
   * Splits {@code incoming} into readings to store and duplicates: a reading is a duplicate when its
   * id is in {@link #recentIds} or appeared earlier in the same batch. Readings without id are always new.
   */
  public Decision decide(List<Reading> incoming) {
    List<Reading> fresh = new ArrayList<>(incoming.size());
    long[] batch = new long[2 * incoming.size()];
    int batchIds = 0;
    int duplicates = 0;
    long[] fp = new long[2];
    for (Reading r : incoming) {
      if (r.readingId() == null) {
        fresh.add(r);
        continue;
      }
      ReadingIdHash.hash(r.readingId(), fp, 0);
      if (recentIds.contains(fp[0], fp[1]) || containsPair(batch, batchIds, fp[0], fp[1])) {
        duplicates++;
      } else {
        batch[2 * batchIds] = fp[0];
        batch[2 * batchIds + 1] = fp[1];
        batchIds++;
        fresh.add(r);
      }
    }
    return new Decision(fresh, duplicates);
  }

  private static boolean containsPair(long[] pairs, int count, long high, long low) {
    for (int i = 0; i < count; i++) {
      if (pairs[2 * i] == high && pairs[2 * i + 1] == low) {
        return true;
      }
    }
    return false;
  }

  /** The state after {@code event}; {@code idCapacity} is how many reading ids to remember. */
  public SensorState apply(SensorEvent event, int idCapacity) {
    if (event instanceof ReadingsRecorded recorded) {
      return applyRecorded(recorded, idCapacity);
    }
    throw new IllegalArgumentException("unknown event " + event.getClass().getName());
  }

  private SensorState applyRecorded(ReadingsRecorded event, int idCapacity) {
    Reading latest = lastReading;
    long[] added = new long[2 * event.readings().size()];
    int ids = 0;
    for (Reading r : event.readings()) {
      if (latest == null || !r.timestamp().isBefore(latest.timestamp())) {
        latest = r;
      }
      if (r.readingId() != null) {
        ReadingIdHash.hash(r.readingId(), added, 2 * ids);
        ids++;
      }
    }
    return new SensorState(readingCount + event.readings().size(), latest, event.recordedAt(),
        recentIds.plus(added, ids, idCapacity));
  }
}
