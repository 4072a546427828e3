package org.sensorcluster.domain;

/**
 * Where a sensor is, in WGS 84 degrees. Persisted inside events: add fields only as optional ones.
 */
public record Location(double lat, double lon) {

  public Location {
    if (!Double.isFinite(lat) || lat < -90 || lat > 90) {
      throw new InvalidInputException("location.lat must be between -90 and 90");
    }
    if (!Double.isFinite(lon) || lon < -180 || lon > 180) {
      throw new InvalidInputException("location.lon must be between -180 and 180");
    }
  }
}
