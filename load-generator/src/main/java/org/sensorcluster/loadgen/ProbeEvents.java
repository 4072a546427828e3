package org.sensorcluster.loadgen;

import java.nio.charset.StandardCharsets;

/**
 * What the ceiling probe's journal rows hold: persistence ids {@code Sensor|probe-<n>}, their tags
 * and a ReadingsRecorded-like payload.
 */
final class ProbeEvents {

  static final String MANIFEST = "org.sensorcluster.domain.event.ReadingsRecorded";

  /** Any fixed serializer id; the journal stores whatever Pekko's serialization gives it. */
  static final int EVENT_SER_ID = 33;

  static final int TAG_BUCKETS = 8;

  private ProbeEvents() {}

  static String persistenceId(int sensor) {
    return "Sensor|probe-" + sensor;
  }

  static String tagFor(int sensor) {
    return "sensor-" + Math.floorMod(("probe-" + sensor).hashCode(), TAG_BUCKETS);
  }

  static String tagForPersistenceId(String persistenceId) {
    return tagFor(Integer.parseInt(persistenceId.substring(persistenceId.lastIndexOf('-') + 1)));
  }

  /** A ReadingsRecorded-like JSON event of about 120 bytes. */
  static byte[] payload(long seq) {
    return ("{\"readings\":[{\"readingId\":\"r-"
            + seq
            + "\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"value\":21.5}],"
            + "\"recordedAt\":\"2026-11-22T10:00:00.123Z\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
