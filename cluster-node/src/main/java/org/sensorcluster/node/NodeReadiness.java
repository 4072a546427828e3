package org.sensorcluster.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Readiness check for Pekko Management's {@code /ready}: true once this node has created its
 * schema, started sharding and projections and bound HTTP, and false again once it starts shutting
 * down. (Cluster membership is checked by Pekko Management's own cluster-membership check.)
 */
public final class NodeReadiness implements Supplier<CompletionStage<Boolean>> {

  private final ActorSystem system;

  public NodeReadiness(ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(NodeStatus.get(system).isReady());
  }
}
