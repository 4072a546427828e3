package org.sensorcluster.domain;

/** Which limit an alert is about. Stored in the journal by name: never rename the constants. */
public enum AlertBound {
  ABOVE_MAX,
  BELOW_MIN,
  /**
   * The sensor sent nothing for longer than its expected interval (see {@code SensorWentSilent}).
   */
  SILENT
}
