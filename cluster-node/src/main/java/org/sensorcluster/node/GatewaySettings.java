package org.sensorcluster.node;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How the {@link ShardedSensorGateway} asks the sensor entities, from {@code sensors.entity}.
 *
 * @param askTimeout how long a request waits for an entity's reply
 * @param maxFailures failed writes in a row that open the write circuit breaker
 * @param resetTimeout how long the open breaker refuses writes before it tries one
 */
record GatewaySettings(Duration askTimeout, int maxFailures, Duration resetTimeout) {

  static GatewaySettings fromConfig(Config sensors) {
    Config entity = sensors.getConfig("entity");
    return new GatewaySettings(
        entity.getDuration("ask-timeout"),
        entity.getInt("circuit-breaker.max-failures"),
        entity.getDuration("circuit-breaker.reset-timeout"));
  }
}
