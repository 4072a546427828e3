package org.sensorcluster.node;

import java.sql.SQLException;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.http.ApiRoutes;
import org.sensorcluster.http.QuerySettings;
import org.sensorcluster.projections.ReadModelDatabase;

/**
 * The HTTP API wired to this node: writes through the sharded sensors, reads through the {@link
 * ReadSide}, tokens, the live streams and the cluster's status.
 */
final class NodeApi {

  /**
   * Live streams: events the shared tail buffers (a power of two), events a client may lag before
   * it is dropped.
   */
  static final int LIVE_HUB_BUFFER = 256;

  static final int LIVE_CLIENT_BUFFER = 512;

  /** Sensors whose metadata the fleet stream's filters remember. */
  static final int LIVE_KNOWN_SENSORS = 50_000;

  private NodeApi() {}

  /** Starts what the routes need (tokens, the live tail) and returns the routes. */
  static ApiRoutes routes(
      ActorSystem<?> system, NodeSettings settings, ReadModelDatabase db, ReadSide queries) {
    ShardedSensorGateway gateway =
        new ShardedSensorGateway(system, settings.gateway(), settings.http().retryAfter());
    ApiTokens tokens =
        ApiTokens.start(
            system,
            db,
            settings.auth(),
            settings.quota().deviceDefaults(),
            Clock.systemUTC(),
            settings.server().port(),
            System.out);
    JournalLiveEvents live = liveEvents(system, settings, db, queries);
    return new ApiRoutes(
        gateway,
        queries,
        queries,
        new ClusterStatus(system),
        new ReadingRules(
            Clock.systemUTC(), settings.http().maxFutureSkew(), settings.maxBackfill()),
        settings.http(),
        querySettings(settings.query(), db),
        settings.quota(),
        Materializer.matFromSystem(system),
        tokens,
        tokens,
        live);
  }

  /** The live streams' shared tail of the journal; bounds: see {@link JournalLiveEvents}. */
  private static JournalLiveEvents liveEvents(
      ActorSystem<?> system, NodeSettings settings, ReadModelDatabase db, ReadSide queries) {
    try {
      return JournalLiveEvents.start(
          system,
          settings.entity().tagCount(),
          JournalLiveEvents.tailStart(db),
          LIVE_HUB_BUFFER,
          LIVE_CLIENT_BUFFER,
          new SensorMetadataCache(LIVE_KNOWN_SENSORS, queries::latestForLiveStreams));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read where the live streams' tail starts: " + e.getMessage(), e);
    }
  }

  /**
   * {@code sensors.http} query settings with the cursor secret: configured, or the cluster's own.
   */
  private static QuerySettings querySettings(QuerySettings q, ReadModelDatabase db) {
    try {
      return q.withCursorSecret(ClusterSecrets.get(db, ClusterSecrets.CURSOR, q.cursorSecret()));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the cluster's cursor secret: " + e.getMessage(), e);
    }
  }
}
