package org.sensorcluster.http;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the query routes, from {@code sensors.http}.
 *
 * @param minSeqTimeout how long a query with {@code minSeq} waits for its read model before 503
 * @param retryAfter what {@code Retry-After} says when it gave up
 * @param cursorSecret signs pagination cursors; must be the same on every node (empty in the
 *     configuration: the node takes the cluster's generated one, {@link #withCursorSecret})
 */
public record QuerySettings(Duration minSeqTimeout, Duration retryAfter, String cursorSecret) {

  public static QuerySettings fromConfig(Config sensors) {
    Config c = sensors.getConfig("http");
    return new QuerySettings(
        c.getDuration("min-seq-timeout"),
        c.getDuration("retry-after"),
        c.getString("cursor-secret"));
  }

  public QuerySettings withCursorSecret(String secret) {
    return new QuerySettings(minSeqTimeout, retryAfter, secret);
  }

  public static QuerySettings defaults() {
    return new QuerySettings(Duration.ofSeconds(5), Duration.ofSeconds(1), "test-secret");
  }
}
