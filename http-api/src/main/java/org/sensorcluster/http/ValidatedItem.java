package org.sensorcluster.http;

import java.time.Instant;
import org.sensorcluster.domain.InvalidInputException;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.auth.Principal;

/**
 * A wire item after validation: either a reading for a sensor, or the reason it was rejected
 * ({@code outOfScope} when it was valid but for a sensor outside the request's token scope).
 */
record ValidatedItem(
    int index, SensorId sensor, Reading reading, String error, boolean outOfScope) {

  ValidatedItem(int index, SensorId sensor, Reading reading, String error) {
    this(index, sensor, reading, error, false);
  }

  boolean valid() {
    return error == null;
  }

  /** This item, rejected unless {@code who} may write its sensor. */
  ValidatedItem within(Principal who) {
    if (!valid() || who.mayWrite(sensor)) {
      return this;
    }
    return new ValidatedItem(index, sensor, null, outOfScopeText(sensor, who), true);
  }

  static String outOfScopeText(SensorId sensor, Principal who) {
    return "sensor "
        + sensor.value()
        + " is outside the scope of this token (sensor ids starting with '"
        + who.scope()
        + "')";
  }

  /**
   * Validates {@code raw}; {@code pathSensor} is the sensor of a single-sensor request, else null.
   */
  static ValidatedItem of(
      RawItem raw, SensorId pathSensor, ReadingRules rules, Instant receivedAt) {
    if (raw.syntaxError() != null) {
      return new ValidatedItem(raw.index(), null, null, raw.syntaxError());
    }
    try {
      SensorId sensor;
      if (pathSensor != null) {
        if (raw.sensorId() != null && !raw.sensorId().equals(pathSensor.value())) {
          throw new InvalidInputException(
              "sensorId in the body differs from the sensor in the path");
        }
        sensor = pathSensor;
      } else {
        if (raw.sensorId() == null) {
          throw new InvalidInputException("sensorId is required");
        }
        sensor = SensorId.of(raw.sensorId());
      }
      Reading reading = rules.validate(raw.readingId(), raw.timestamp(), raw.value(), receivedAt);
      return new ValidatedItem(raw.index(), sensor, reading, null);
    } catch (InvalidInputException e) {
      return new ValidatedItem(raw.index(), null, null, e.getMessage());
    }
  }
}
