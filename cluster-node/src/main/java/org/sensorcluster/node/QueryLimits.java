package org.sensorcluster.node;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How the {@link ReadSide} bounds the read models' queries, from {@code sensors.http}.
 *
 * @param timeout how long a query may take before it is answered 503
 * @param maxInFlight queries at once on this node ({@link QueryBulkhead}); auto: half the
 *     read-model pool
 */
record QueryLimits(Duration timeout, int maxInFlight) {

  static QueryLimits fromConfig(Config sensors, DatabaseSettings db) {
    return new QueryLimits(
        sensors.getDuration("http.query-timeout"),
        QueryBulkhead.maxOf(
            sensors.getString("http.max-queries-in-flight"), db.readModelMaxConnections()));
  }
}
