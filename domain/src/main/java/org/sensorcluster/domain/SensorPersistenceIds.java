package org.sensorcluster.domain;

/**
 * Persistence ids of sensor entities are {@code "Sensor|<sensorId>"} (entity type key name, '|',
 * id).
 */
public final class SensorPersistenceIds {

  public static final String ENTITY_TYPE = "Sensor";
  private static final String PREFIX = ENTITY_TYPE + "|";

  private SensorPersistenceIds() {}

  public static String sensorIdOf(String persistenceId) {
    if (!persistenceId.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a sensor persistence id: " + persistenceId);
    }
    return persistenceId.substring(PREFIX.length());
  }

  public static String of(String sensorId) {
    return PREFIX + sensorId;
  }
}
