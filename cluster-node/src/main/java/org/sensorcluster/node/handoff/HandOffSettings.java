package org.sensorcluster.node.handoff;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How a node hands its sensors off before it stops, from {@code sensors.entity.hand-off}.
 *
 * @param enabled off: Pekko's own placement and region shutdown (for comparison, ADR 24)
 * @param shardsAtOnce shards moving at the same time (each is unavailable for its own hand-off)
 * @param moveInterval how often the shard coordinator starts the next moves
 * @param timeout longest wait for the node's shards to move on SIGTERM; what is left then is handed
 *     off all at once by Pekko's region shutdown
 */
public record HandOffSettings(
    boolean enabled, int shardsAtOnce, Duration moveInterval, Duration timeout) {

  /** From {@code sensors}, the configuration's {@code sensors} section. */
  public static HandOffSettings fromConfig(Config sensors) {
    Config c = sensors.getConfig("entity.hand-off");
    HandOffSettings s =
        new HandOffSettings(
            c.getBoolean("enabled"),
            c.getInt("shards-at-once"),
            c.getDuration("move-interval"),
            c.getDuration("timeout"));
    if (s.shardsAtOnce < 1) {
      throw new IllegalArgumentException(
          "sensors.entity.hand-off.shards-at-once must be at least 1, is " + s.shardsAtOnce);
    }
    return s;
  }
}
