package org.sensorcluster.node;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How the {@link ShardedSensorGateway} asks the sensor entities, from {@code sensors.entity}.
 *
 * @param askTimeout how long a request waits for an entity's reply
 * @param batchMaxWait how long a batch's write may wait while the batch keeps making progress
 *     ({@link org.sensorcluster.http.BatchProgress}); at least {@code askTimeout}
 * @param maxFailures failed writes in a row that open the write circuit breaker
 * @param resetTimeout how long the open breaker refuses writes before it tries one
 */
record GatewaySettings(
    Duration askTimeout, Duration batchMaxWait, int maxFailures, Duration resetTimeout) {

  GatewaySettings {
    if (batchMaxWait.compareTo(askTimeout) < 0) {
      throw new IllegalArgumentException(
          "sensors.entity.batch-max-wait ("
              + batchMaxWait
              + ") must be at least sensors.entity.ask-timeout ("
              + askTimeout
              + ")");
    }
  }

  static GatewaySettings fromConfig(Config sensors) {
    Config entity = sensors.getConfig("entity");
    return new GatewaySettings(
        entity.getDuration("ask-timeout"),
        entity.getDuration("batch-max-wait"),
        entity.getInt("circuit-breaker.max-failures"),
        entity.getDuration("circuit-breaker.reset-timeout"));
  }
}
