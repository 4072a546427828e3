package org.sensorcluster.node;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.sensorcluster.projections.ReadModelDatabase;

/** Per-actor-system state of the node for the readiness checks: ready flag and database pool. */
public final class NodeStatus implements Extension {

  private static final Id ID = new Id();
  private final AtomicBoolean ready = new AtomicBoolean();
  private volatile ReadModelDatabase database;

  public static NodeStatus get(ActorSystem system) {
    return ID.get(system);
  }

  public static NodeStatus get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    return ID.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system));
  }

  public boolean isReady() {
    return ready.get();
  }

  void setReady(boolean value) {
    ready.set(value);
  }

  /**
   * The pool the readiness check queries the journal database through; null until the node has one.
   */
  ReadModelDatabase database() {
    return database;
  }

  void setDatabase(ReadModelDatabase db) {
    database = db;
  }

  private static final class Id extends AbstractExtensionId<NodeStatus> {
    @Override
    public NodeStatus createExtension(ExtendedActorSystem system) {
      return new NodeStatus();
    }
  }
}
