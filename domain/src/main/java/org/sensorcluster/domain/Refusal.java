package org.sensorcluster.domain;

/**
 * Why a sensor refused a command: the entity's answer and the HTTP layer's status come from this
 * one enum (sent by name between nodes).
 */
public enum Refusal {
  /** The sensor was decommissioned: 409. */
  DECOMMISSIONED,
  /**
   * Auto-registration is off and the sensor was never registered (or, for decommission, is
   * unknown): 404.
   */
  NOT_REGISTERED,
  /** The sensor does not exist yet and the sender may create no more sensors now: 429. */
  NEW_SENSOR_QUOTA,
  /**
   * The command never reached the sensor: a node dropped it undelivered (e.g. a shard hand-off
   * drops the messages it had buffered for the shard), so nothing was stored. The node that asked
   * sends it again; if it cannot, 503.
   */
  UNDELIVERED
}
