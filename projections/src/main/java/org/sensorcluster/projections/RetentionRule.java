package org.sensorcluster.projections;

import java.time.Duration;
import java.util.function.Function;

/**
 * Rows of one of a model's tables that {@link Retention} deletes once older than a window: those
 * whose {@code timeColumn} lies before now minus {@code window}, keyed either by sensor (deleted in
 * chunks of sensors) or by tag.
 *
 * @param baseTable the table, without the generation suffix
 * @param timeColumn the column compared with the cutoff
 * @param key the leading key column retention walks
 * @param window the retention window, from the settings
 */
public record RetentionRule(
    String baseTable, String timeColumn, Key key, Function<ReadModelSettings, Duration> window) {

  /** The leading key column of the table. */
  public enum Key {
    SENSOR_ID,
    TAG
  }

  public static RetentionRule perSensor(
      String baseTable, String timeColumn, Function<ReadModelSettings, Duration> w) {
    return new RetentionRule(baseTable, timeColumn, Key.SENSOR_ID, w);
  }

  public static RetentionRule perTag(
      String baseTable, String timeColumn, Function<ReadModelSettings, Duration> w) {
    return new RetentionRule(baseTable, timeColumn, Key.TAG, w);
  }
}
