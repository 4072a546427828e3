package org.sensorcluster.domain;

/** Which limit an alert is about. Stored in the journal by name: never rename the constants. */
public enum AlertBound {
  ABOVE_MAX,
  BELOW_MIN
}
