package org.sensorcluster.domain.event;

import java.time.Instant;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.Thresholds;

/**
 * A reading left [min, max], or the thresholds changed so that the last reading is outside them.
 *
 * @param alertNumber 1 for the sensor's first alert, then 2, ...; with the sensor id, the alert's
 *     id
 * @param bound the limit crossed
 * @param reading the reading that crossed it
 * @param thresholds the limits in force
 * @param raisedAt server time
 */
public record AlertRaised(
    long alertNumber, AlertBound bound, Reading reading, Thresholds thresholds, Instant raisedAt)
    implements SensorEvent {}
