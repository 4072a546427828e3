package org.sensorcluster.node;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.sensorcluster.projections.ReadModelDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node becomes a member: Pekko Management, then cluster bootstrap or the seed nodes ({@link
 * ClusterJoin}), then the {@link PauseFence}.
 */
final class ClusterFormation {

  /** The node's own logger: these lines are the node's start. */
  private static final Logger log = LoggerFactory.getLogger(SensorNode.class);

  private ClusterFormation() {}

  static void start(ActorSystem<?> system, ClusterSettings settings, ReadModelDatabase db) {
    // Management first: cluster bootstrap's contact points are other nodes' management endpoints,
    // and /ready (false until the end of start) is what orchestrators poll meanwhile.
    try {
      PekkoManagement.get(system.classicSystem())
          .start()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start Pekko Management: " + SensorNode.rootMessage(e), e);
    }
    if (settings.bootstrap()) {
      log.info(
          "joining through cluster bootstrap (Kubernetes API discovery of pods labelled {})",
          settings.bootstrapPods());
      ClusterBootstrap.get(system.classicSystem()).start();
    } else {
      ClusterJoin.join(
          system, ClusterJoin.parseSeeds(settings.seedNodes(), SensorNode.SYSTEM_NAME), db);
    }
    PauseFence.start(system, settings.pauseHaltAfter());
  }
}
