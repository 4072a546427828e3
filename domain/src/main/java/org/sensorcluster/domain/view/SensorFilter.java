package org.sensorcluster.domain.view;

/**
 * Which sensors {@code GET /api/v1/sensors} lists, ordered by sensor id.
 *
 * @param type only sensors of this type, or null
 * @param labelKey only sensors carrying this label (with {@code labelValue} when not null), or null
 * @param labelValue see labelKey
 * @param alerting only sensors with (true) or without (false) an open alert, or null for both
 * @param afterSensorId keyset: only sensor ids greater than this, or null from the start
 * @param limit page size, 1..1000
 * @param silent only silent (true) or not silent (false) sensors, or null for both
 */
public record SensorFilter(
    String type,
    String labelKey,
    String labelValue,
    Boolean alerting,
    String afterSensorId,
    int limit,
    Boolean silent) {

  public SensorFilter(
      String type,
      String labelKey,
      String labelValue,
      Boolean alerting,
      String afterSensorId,
      int limit) {
    this(type, labelKey, labelValue, alerting, afterSensorId, limit, null);
  }
}
