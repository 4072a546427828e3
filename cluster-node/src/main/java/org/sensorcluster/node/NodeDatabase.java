package org.sensorcluster.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.sensorcluster.projections.ReadModelDatabase;

/**
 * The node's own pool on the database (read models, tokens, secrets, cluster join heartbeats):
 * opened on the blocking dispatcher, closed last at shutdown, with the schema created and the
 * statistics maintained.
 */
final class NodeDatabase {

  private NodeDatabase() {}

  /** Opens the pool and creates the schema (waiting for the database up to its startup timeout). */
  static ReadModelDatabase open(
      ActorSystem<?> system, StorageConfig.Storage storage, DatabaseSettings settings) {
    Executor blocking =
        system.dispatchers().lookup(DispatcherSelector.fromConfig("sensors-blocking-dispatcher"));
    ReadModelDatabase readModels =
        new ReadModelDatabase(
            storage.url(),
            storage.user(),
            storage.password(),
            settings.readModelMaxConnections(),
            blocking);
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "close-read-model-pool",
            () -> {
              readModels.close();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    NodeSchema.create(system, storage, readModels, settings.startupTimeout());

    NodeStatus.get(system).setDatabase(readModels);
    PostgresStatistics.maintain(system, readModels, settings.analyzeInterval());
    return readModels;
  }
}
