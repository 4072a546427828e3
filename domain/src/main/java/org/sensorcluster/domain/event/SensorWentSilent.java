package org.sensorcluster.domain.event;

import java.time.Duration;
import java.time.Instant;
import org.sensorcluster.domain.Reading;

/**
 * The sensor sent nothing for longer than its expected interval: it is silent, and an alert of
 * bound {@code SILENT} is open until its next reading (which writes an {@link AlertCleared} for
 * it). Decided by the entity from the passage of time, so it is written down: replays and rebuilt
 * read models see the same silence the live ones saw.
 *
 * @param alertNumber the number of the silence alert (the sensor's alert numbering, shared with
 *     thresholds)
 * @param lastReading the newest reading when it went silent
 * @param lastRecordedAt server time the sensor's last readings were stored
 * @param expectedInterval the interval in force (the sensor's own or the fleet default)
 * @param decidedAt server time of the decision
 */
public record SensorWentSilent(
    long alertNumber,
    Reading lastReading,
    Instant lastRecordedAt,
    Duration expectedInterval,
    Instant decidedAt)
    implements SensorEvent {}
