package org.sensorcluster.node;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code sensors.db}, beyond where the database is ({@link StorageConfig}): the node's own pool.
 *
 * @param readModelMaxConnections connections of the read-model pool
 * @param startupTimeout how long a starting node waits for the database to create the schema
 * @param analyzeInterval how often the node refreshes PostgreSQL's statistics ({@link
 *     PostgresStatistics})
 */
record DatabaseSettings(
    int readModelMaxConnections, Duration startupTimeout, Duration analyzeInterval) {

  static DatabaseSettings fromConfig(Config sensors) {
    Config db = sensors.getConfig("db");
    return new DatabaseSettings(
        db.getInt("read-model-max-connections"),
        db.getDuration("startup-timeout"),
        db.getDuration("analyze-interval"));
  }
}
