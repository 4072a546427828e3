package org.sensorcluster.http;

import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.Refusal;
import org.sensorcluster.domain.SensorId;

/**
 * Why readings were not stored, in the words of both ingest endpoints (the single-sensor problem
 * details and the batch's rejected or unconfirmed items).
 */
final class IngestRefusals {

  private IngestRefusals() {}

  static ServiceUnavailableException atCapacity(WritePermits permits, HttpSettings settings) {
    return new ServiceUnavailableException(
        "this node is at its write capacity ("
            + permits.max()
            + " sensor writes in flight); nothing of this was written, retry later",
        settings.retryAfter());
  }

  static String refusalText(SensorId sensor, Refusal refusal) {
    return switch (refusal) {
      case DECOMMISSIONED -> "sensor " + sensor.value() + " is decommissioned";
      case NOT_REGISTERED ->
          "sensor " + sensor.value() + " is not registered (auto-registration is off)";
      case NEW_SENSOR_QUOTA ->
          "sensor "
              + sensor.value()
              + " is new and this token's quota of new sensors"
              + " is used up; not stored, send again later";
      case UNDELIVERED ->
          "sensor " + sensor.value() + " could not be reached (its shard is moving); send again";
    };
  }

  /**
   * Why a reading that reused a readingId for another reading was not stored (409 / rejected item).
   */
  static String conflictText(Reading reading) {
    return "readingId "
        + reading.readingId()
        + " was already stored with another value or timestamp;"
        + " a new reading needs a new readingId (the same reading again is acknowledged as a duplicate)";
  }
}
