package org.sensorcluster.node.entity;

import com.typesafe.config.Config;
import java.time.Duration;
import org.sensorcluster.domain.InvalidInputException;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.node.SilenceSettings;

/**
 * Tunables of the sensor entity, from {@code sensors.entity} in the configuration.
 *
 * @param tagCount number of projection tags; must never change once a journal has events
 * @param snapshotEvery take a snapshot every this many events
 * @param readingIdMemory how many reading ids each sensor remembers for duplicate detection
 * @param persistFailureBackoffMin first restart delay after a journal write failed
 * @param persistFailureBackoffMax longest restart delay after repeated journal write failures
 * @param autoRegister whether readings for a never-registered sensor are accepted (else refused)
 * @param defaultExpectedInterval how long a sensor without an own expected interval may send
 *     nothing before it is silent; null: such sensors are never silent
 */
public record SensorEntitySettings(
    int tagCount,
    int snapshotEvery,
    int readingIdMemory,
    Duration persistFailureBackoffMin,
    Duration persistFailureBackoffMax,
    boolean autoRegister,
    Duration defaultExpectedInterval) {

  public SensorEntitySettings(
      int tagCount,
      int snapshotEvery,
      int readingIdMemory,
      Duration persistFailureBackoffMin,
      Duration persistFailureBackoffMax,
      boolean autoRegister) {
    this(
        tagCount,
        snapshotEvery,
        readingIdMemory,
        persistFailureBackoffMin,
        persistFailureBackoffMax,
        autoRegister,
        null);
  }

  public SensorEntitySettings(
      int tagCount,
      int snapshotEvery,
      int readingIdMemory,
      Duration persistFailureBackoffMin,
      Duration persistFailureBackoffMax) {
    this(
        tagCount,
        snapshotEvery,
        readingIdMemory,
        persistFailureBackoffMin,
        persistFailureBackoffMax,
        true);
  }

  public SensorEntitySettings {
    if (tagCount < 1) {
      throw new IllegalArgumentException("sensors.entity.tag-count must be >= 1");
    }
    if (snapshotEvery < 1) {
      throw new IllegalArgumentException("sensors.entity.snapshot-every must be >= 1");
    }
    if (readingIdMemory < 1) {
      throw new IllegalArgumentException("sensors.entity.reading-id-memory must be >= 1");
    }
    try {
      SensorMetadata.checkExpectedInterval(defaultExpectedInterval);
    } catch (InvalidInputException e) {
      throw new IllegalArgumentException(
          "sensors.silence.default-expected-interval: " + e.getMessage(), e);
    }
  }

  public static SensorEntitySettings fromConfig(Config sensors) {
    Config c = sensors.getConfig("entity");
    return new SensorEntitySettings(
        c.getInt("tag-count"),
        c.getInt("snapshot-every"),
        c.getInt("reading-id-memory"),
        c.getDuration("persist-failure-backoff.min"),
        c.getDuration("persist-failure-backoff.max"),
        sensors.getBoolean("registry.auto-register"),
        SilenceSettings.fromConfig(sensors).defaultExpectedInterval());
  }
}
