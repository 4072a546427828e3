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
 */
public record ReadingsRecorded(List<Reading> readings, Instant recordedAt) implements SensorEvent {

  public ReadingsRecorded {
    readings = List.copyOf(readings);
    if (readings.isEmpty()) {
      throw new IllegalArgumentException("an event records at least one reading");
    }
  }
}
