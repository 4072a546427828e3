package org.sensorcluster.domain;

import java.time.Instant;

/**
 * What a dashboard sees of one sensor, from the read model or from the entity itself.
 *
 * @param sensorId the sensor
 * @param readingCount readings stored (duplicates excluded)
 * @param lastReading the reading with the latest timestamp, null if none
 * @param lastRecordedAt server time of the last stored batch, null if none
 * @param sequenceNr journal sequence number the view reflects
 */
public record SensorSummary(String sensorId, long readingCount, Reading lastReading,
                            Instant lastRecordedAt, long sequenceNr) {}
