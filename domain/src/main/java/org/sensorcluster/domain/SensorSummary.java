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
 * @param metadata registered metadata, null when never registered
 * @param openAlert the alert open now, null if none
 * @param decommissionedAt when it was decommissioned, null while in service
 * @param silentSince when it was found silent (sent nothing for longer than its expected interval),
 *     null if not silent
 */
public record SensorSummary(
    String sensorId,
    long readingCount,
    Reading lastReading,
    Instant lastRecordedAt,
    long sequenceNr,
    SensorMetadata metadata,
    OpenAlert openAlert,
    Instant decommissionedAt,
    Instant silentSince) {

  /** A sensor that is not silent. */
  public SensorSummary(
      String sensorId,
      long readingCount,
      Reading lastReading,
      Instant lastRecordedAt,
      long sequenceNr,
      SensorMetadata metadata,
      OpenAlert openAlert,
      Instant decommissionedAt) {
    this(
        sensorId,
        readingCount,
        lastReading,
        lastRecordedAt,
        sequenceNr,
        metadata,
        openAlert,
        decommissionedAt,
        null);
  }

  /** A sensor known only from its readings. */
  public SensorSummary(
      String sensorId,
      long readingCount,
      Reading lastReading,
      Instant lastRecordedAt,
      long sequenceNr) {
    this(sensorId, readingCount, lastReading, lastRecordedAt, sequenceNr, null, null, null, null);
  }
}
