package org.sensorcluster.domain.auth;

/**
 * What one token may send on one node: readings per second, requests per second (both with a burst
 * of one second's worth), and sensors it may create (auto-register) per hour.
 */
public record Quota(double readingsPerSecond, double requestsPerSecond, double newSensorsPerHour) {

  public static final Quota UNLIMITED =
      new Quota(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

  public Quota {
    if (!(readingsPerSecond > 0) || !(requestsPerSecond > 0) || !(newSensorsPerHour >= 0)) {
      throw new IllegalArgumentException(
          "quota rates must be positive (new sensors per hour may be 0), got "
              + readingsPerSecond
              + "/"
              + requestsPerSecond
              + "/"
              + newSensorsPerHour);
    }
  }

  public boolean unlimited() {
    return this.equals(UNLIMITED);
  }
}
