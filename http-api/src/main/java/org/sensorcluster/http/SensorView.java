package org.sensorcluster.http;

import java.time.Instant;
import java.util.Map;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Location;
import org.sensorcluster.domain.OpenAlert;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.Thresholds;

/**
 * One sensor as {@code GET /api/v1/sensors} and {@code GET /api/v1/sensors/{id}} show it.
 *
 * @param expectedInterval the sensor's own expected interval (ISO-8601), absent when the fleet
 *     default applies
 * @param silent whether it sent nothing for longer than its expected interval (a SILENT alert is
 *     open)
 * @param silentSince when it was found silent, absent while not silent
 */
record SensorView(
    String sensorId,
    String name,
    String type,
    String unit,
    Location location,
    Map<String, String> labels,
    Thresholds thresholds,
    String expectedInterval,
    boolean registered,
    long readingCount,
    Reading lastReading,
    Instant lastUpdated,
    boolean alerting,
    AlertSummary openAlert,
    boolean silent,
    Instant silentSince,
    Instant decommissionedAt,
    long sequenceNr,
    String consistency) {

  /** The open alert, in short. */
  record AlertSummary(long alertNumber, AlertBound bound, Instant raisedAt, Double value) {}

  static SensorView of(SensorSummary s, String consistency) {
    SensorMetadata m = s.metadata();
    OpenAlert a = s.openAlert();
    return new SensorView(
        s.sensorId(),
        m == null ? null : m.name(),
        m == null ? null : m.type(),
        m == null ? null : m.unit(),
        m == null ? null : m.location(),
        m == null || m.labels().isEmpty() ? null : m.labels(),
        m == null ? null : m.thresholds(),
        m == null || m.expectedInterval() == null ? null : m.expectedInterval().toString(),
        m != null,
        s.readingCount(),
        s.lastReading(),
        s.lastRecordedAt(),
        a != null,
        a == null
            ? null
            : new AlertSummary(
                a.alertNumber(),
                a.bound(),
                a.raisedAt(),
                a.trigger() == null ? null : a.trigger().value()),
        s.silentSince() != null,
        s.silentSince(),
        s.decommissionedAt(),
        s.sequenceNr(),
        consistency);
  }
}
