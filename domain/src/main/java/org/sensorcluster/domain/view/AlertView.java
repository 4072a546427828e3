package org.sensorcluster.domain.view;

import java.time.Instant;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Thresholds;

/**
 * One alert as the {@code alerts} read model holds it.
 *
 * @param sensorId the sensor
 * @param alertNumber the sensor's alert number (1, 2, ...)
 * @param bound which limit was crossed
 * @param raisedAt server time of raising
 * @param raisedValue the value that raised it
 * @param raisedReadingAt measurement time of that value
 * @param thresholds the limits in force when raised
 * @param clearedAt server time of clearing, null while open
 * @param clearedValue the value that cleared it, null while open or when cleared by a threshold
 *     change without readings
 */
public record AlertView(
    String sensorId,
    long alertNumber,
    AlertBound bound,
    Instant raisedAt,
    double raisedValue,
    Instant raisedReadingAt,
    Thresholds thresholds,
    Instant clearedAt,
    Double clearedValue) {

  public boolean open() {
    return clearedAt == null;
  }
}
