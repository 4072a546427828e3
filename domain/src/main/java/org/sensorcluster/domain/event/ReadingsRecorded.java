package org.sensorcluster.domain.event;

import java.time.Instant;
import java.util.List;
import org.sensorcluster.domain.Reading;

/**
 * One or more new (not duplicate) readings of one sensor, stored as one journal event so a batch
 * costs one write.
 *
 * @param readings in the order the client sent them, never empty
 * @param recordedAt server time when the entity accepted them
 * @param requestId correlation id of the HTTP request that sent them ({@code X-Request-Id}), so the
 *     projections' log lines can name it; null in events written before it was recorded
 */
public record ReadingsRecorded(List<Reading> readings, Instant recordedAt, String requestId)
    implements SensorEvent {

  public ReadingsRecorded(List<Reading> readings, Instant recordedAt) {
    this(readings, recordedAt, null);
  }

  public ReadingsRecorded {
    readings = List.copyOf(readings);
    if (readings.isEmpty()) {
      throw new IllegalArgumentException("an event records at least one reading");
    }
  }
}
