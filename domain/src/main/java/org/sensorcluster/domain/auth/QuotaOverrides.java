package org.sensorcluster.domain.auth;

import org.sensorcluster.domain.InvalidInputException;

/** A token's own quota figures; a null one follows the node's default for the token's role. */
public record QuotaOverrides(
    Double readingsPerSecond, Double requestsPerSecond, Double newSensorsPerHour) {

  public static final QuotaOverrides NONE = new QuotaOverrides(null, null, null);

  public QuotaOverrides {
    check("readingsPerSecond", readingsPerSecond, false);
    check("requestsPerSecond", requestsPerSecond, false);
    check("newSensorsPerHour", newSensorsPerHour, true);
  }

  /** The quota in force: these figures over {@code defaults}. */
  public Quota over(Quota defaults) {
    return new Quota(
        readingsPerSecond != null ? readingsPerSecond : defaults.readingsPerSecond(),
        requestsPerSecond != null ? requestsPerSecond : defaults.requestsPerSecond(),
        newSensorsPerHour != null ? newSensorsPerHour : defaults.newSensorsPerHour());
  }

  public boolean none() {
    return readingsPerSecond == null && requestsPerSecond == null && newSensorsPerHour == null;
  }

  private static void check(String name, Double v, boolean zeroAllowed) {
    if (v != null
        && (v.isNaN() || v.isInfinite() || v < 0 || (!zeroAllowed && v == 0) || v > 1e9)) {
      throw new InvalidInputException(
          name
              + " must be a number "
              + (zeroAllowed ? ">= 0" : "> 0")
              + " and at most 1e9, got "
              + v);
    }
  }
}
