package org.sensorcluster.domain;

import java.time.Instant;

/**
 * The alert a sensor has open right now.
 *
 * @param alertNumber 1 for the sensor's first alert, then 2, ...; with the sensor id, the alert's
 *     id
 * @param bound the limit the reading crossed
 * @param trigger the reading that raised it
 * @param thresholds the limits in force when it was raised
 * @param raisedAt server time of raising
 */
public record OpenAlert(
    long alertNumber, AlertBound bound, Reading trigger, Thresholds thresholds, Instant raisedAt) {}
