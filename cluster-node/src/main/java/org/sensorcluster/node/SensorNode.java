package org.sensorcluster.node;

import com.typesafe.config.Config;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.sensorcluster.http.ApiRoutes;
import org.sensorcluster.node.handoff.ShardPlacement;
import org.sensorcluster.projections.ReadModelDatabase;
import org.sensorcluster.projections.ReadModelRuntime;
import org.sensorcluster.projections.ReadModels;

/**
 * One running node: actor system, cluster membership, schema, sharded sensors, projections, HTTP
 * and Pekko Management. {@link #start} returns once the node is ready to serve.
 */
public final class SensorNode {

  public static final String SYSTEM_NAME = "sensors";

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final StorageConfig.Storage storage;

  private SensorNode(
      ActorSystem<Void> system, ServerBinding binding, StorageConfig.Storage storage) {
    this.system = system;
    this.binding = binding;
    this.storage = storage;
  }

  /** Starts a node with {@code config} (already resolved by {@link StorageConfig}). */
  public static SensorNode start(Config config) {
    return start(config, ReadModels.ALL);
  }

  /** {@link #start(Config)} serving the read models {@code models} (tests add their own). */
  public static SensorNode start(Config config, ReadModels models) {
    // read once: a typo fails here, before anything starts
    NodeSettings settings = NodeSettings.fromConfig(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, config);
    try {
      return start(system, settings, models);
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  private static SensorNode start(
      ActorSystem<Void> system, NodeSettings settings, ReadModels models) {
    markNotReadyAtShutdown(system);
    ReadModelDatabase db = NodeDatabase.open(system, settings.storage(), settings.db());
    // Sharding before joining: the region waits for the cluster, and the readiness check finds it.
    ShardPlacement.init(
        system,
        settings.entity(),
        Clock.systemUTC(),
        numberOfShards(settings.numberOfShards(), db),
        settings.handOff());
    UndeliveredCommands.start(system);
    ClusterFormation.start(system, settings.cluster(), db);
    ReadSide queries = readSide(system, settings, db, models);
    ApiRoutes routes = NodeApi.routes(system, settings, db, queries);
    NodeMetrics.start(system, queries, settings.metricsPollInterval(), queries.runtime());
    SilenceWatcher.start(system, settings.silence(), queries::silenceCandidates);
    ServerBinding binding = HttpEndpoint.bind(system, settings.server(), routes.routes());
    NodeStatus.get(system).setReady(true);
    return new SensorNode(system, binding, settings.storage());
  }

  /** The cluster's number of sensor shards: stored at its first start ({@link ShardCount}). */
  private static int numberOfShards(int configured, ReadModelDatabase db) {
    try {
      return ShardCount.resolve(db, configured);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the cluster's number of shards: " + e.getMessage(), e);
    }
  }

  private static void markNotReadyAtShutdown(ActorSystem<Void> system) {
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "mark-not-ready",
            () -> {
              NodeStatus.get(system).setReady(false);
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }

  /** The projections (started here) and their queries, as the HTTP layer reads them. */
  private static ReadSide readSide(
      ActorSystem<Void> system, NodeSettings settings, ReadModelDatabase db, ReadModels models) {
    ReadModelRuntime runtime;
    try {
      runtime =
          ReadModelRuntime.start(system, db, settings.readModels(), Clock.systemUTC(), models);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the read-model tables: " + e.getMessage(), e);
    }
    return new ReadSide(
        runtime,
        settings.queryLimits().timeout(),
        settings.http().retryAfter(),
        settings.queryLimits().maxInFlight());
  }

  static String rootMessage(Throwable t) {
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException
            || t.getCause() != null && t.getMessage() == null)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  public StorageConfig.Storage storage() {
    return storage;
  }

  /** Runs coordinated shutdown (as SIGTERM does) and waits for it. */
  public void stop() {
    try {
      CoordinatedShutdown.get(system)
          .runAll(CoordinatedShutdown.unknownReason())
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node did not stop cleanly: " + rootMessage(e), e);
    }
  }
}
