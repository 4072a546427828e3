package org.sensorcluster.domain.event;

import java.time.Instant;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.Thresholds;

/**
 * The open alert ended: a reading came back inside by more than the hysteresis, or the thresholds
 * changed so that the last reading is no longer outside them.
 *
 * @param alertNumber the number of the alert that ends (see {@link AlertRaised})
 * @param bound the limit of the alert that ends
 * @param reading the reading that cleared it (the last reading when thresholds changed)
 * @param thresholds the limits in force when it cleared
 * @param clearedAt server time
 */
public record AlertCleared(
    long alertNumber, AlertBound bound, Reading reading, Thresholds thresholds, Instant clearedAt)
    implements SensorEvent {}
