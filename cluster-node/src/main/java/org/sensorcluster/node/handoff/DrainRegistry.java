package org.sensorcluster.node.handoff;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.sensorcluster.node.CborSerializable;

/**
 * Runs on every node (at {@code /system/}{@link #NAME}) and records which members announced that
 * they are draining; a member is forgotten once it has left the cluster. The shard coordinator's
 * {@link DrainAwareAllocation} reads the result on whichever node the coordinator runs.
 */
final class DrainRegistry {

  static final String NAME = "shard-drain-registry";

  interface Command {}

  /** Sent by a draining member to every member, again until it stops. */
  record Draining(String member) implements Command, CborSerializable {}

  private record Left(String member) implements Command {}

  private DrainRegistry() {}

  static Behavior<Command> create(DrainingMembers draining) {
    return Behaviors.setup(
        ctx -> {
          ActorRef<ClusterEvent.MemberRemoved> removed =
              ctx.messageAdapter(
                  ClusterEvent.MemberRemoved.class,
                  e -> new Left(DrainingMembers.key(e.member().uniqueAddress())));
          Cluster.get(ctx.getSystem())
              .subscriptions()
              .tell(Subscribe.create(removed, ClusterEvent.MemberRemoved.class));
          return Behaviors.receive(Command.class)
              .onMessage(
                  Draining.class,
                  d -> {
                    if (draining.add(d.member())) {
                      ctx.getLog().info("{} is draining: its sensor shards move away", d.member());
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  Left.class,
                  l -> {
                    draining.remove(l.member());
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
