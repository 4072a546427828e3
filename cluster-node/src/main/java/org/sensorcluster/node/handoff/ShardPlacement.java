package org.sensorcluster.node.handoff;

import java.time.Clock;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.sensorcluster.node.entity.SensorEntity;
import org.sensorcluster.node.entity.SensorEntitySettings;

/**
 * Registers the sensors with Cluster Sharding on this node, placed by {@link DrainAwareAllocation}
 * and drained before the node stops ({@link ShardDrain}); see ADR 24.
 */
public final class ShardPlacement {

  private ShardPlacement() {}

  /** Call once per node, before it joins the cluster. */
  public static void init(
      ActorSystem<?> system,
      SensorEntitySettings entity,
      Clock clock,
      int numberOfShards,
      HandOffSettings handOff) {
    if (!handOff.enabled()) {
      ClusterSharding.get(system).init(SensorEntity.entity(entity, clock, numberOfShards));
      return;
    }
    DrainingMembers draining = ShardDrain.install(system, SensorEntity.TYPE_KEY, handOff);
    Cluster cluster = Cluster.get(system.classicSystem());
    DrainAwareAllocation.ClusterView view =
        new DrainAwareAllocation.ClusterView() {
          @Override
          public CurrentClusterState state() {
            return cluster.state();
          }

          @Override
          public Address selfAddress() {
            return cluster.selfAddress();
          }
        };
    ClusterShardingSettings sharding = ClusterShardingSettings.create(system);
    ClusterSharding.get(system)
        .init(
            SensorEntity.entity(entity, clock, numberOfShards)
                .withAllocationStrategy(
                    new DrainAwareAllocation(view, draining, handOff.shardsAtOnce()))
                .withSettings(
                    sharding.withTuningParameters(
                        sharding
                            .tuningParameters()
                            .withRebalanceInterval(handOff.moveInterval()))));
  }
}
