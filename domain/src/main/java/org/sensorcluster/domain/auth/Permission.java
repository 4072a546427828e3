package org.sensorcluster.domain.auth;

/** The kinds of request the API tells apart when it checks a token ({@link Role#may}). */
public enum Permission {
  /** {@code POST} readings, single or batch. */
  WRITE_READINGS,
  /** Every {@code GET} of sensors, readings, alerts and statistics. */
  READ,
  /** {@code PUT} and {@code DELETE} of a sensor (registry, thresholds, decommissioning). */
  MANAGE_SENSORS,
  /** Everything under {@code /api/v1/admin}: read models, cluster, tokens. */
  ADMINISTER
}
