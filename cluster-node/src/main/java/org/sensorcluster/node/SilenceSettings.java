package org.sensorcluster.node;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How silent sensors are found, from {@code sensors.silence} in the configuration.
 *
 * @param defaultExpectedInterval the expected interval of sensors that declare none; null ("off"):
 *     they are never silent
 * @param checkInterval how often the watcher looks for sensors that may have gone silent
 * @param batchLimit at most this many sensors are asked per look
 */
public record SilenceSettings(
    Duration defaultExpectedInterval, Duration checkInterval, int batchLimit) {

  public SilenceSettings {
    if (checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException("sensors.silence.check-interval must be positive");
    }
    if (batchLimit < 1) {
      throw new IllegalArgumentException("sensors.silence.batch-limit must be >= 1");
    }
  }

  public static SilenceSettings fromConfig(Config sensors) {
    Config c = sensors.getConfig("silence");
    String off = c.getString("default-expected-interval").trim();
    Duration fallback =
        off.equalsIgnoreCase("off") || off.isEmpty()
            ? null
            : c.getDuration("default-expected-interval");
    return new SilenceSettings(fallback, c.getDuration("check-interval"), c.getInt("batch-limit"));
  }
}
