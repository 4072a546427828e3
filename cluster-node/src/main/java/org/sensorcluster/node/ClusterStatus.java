package org.sensorcluster.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.sensorcluster.http.ClusterAdmin;
import org.sensorcluster.node.entity.SensorEntity;

/**
 * {@code GET /api/v1/admin/cluster}: members as this node sees them, with sensor shards and
 * entities per node.
 */
final class ClusterStatus implements ClusterAdmin {

  private static final Duration STATS_TIMEOUT = Duration.ofSeconds(3);

  private final ActorSystem<?> system;
  private final ClusterHealth health;

  @Override
  public boolean draining() {
    return org.apache.pekko.actor.CoordinatedShutdown.get(system).getShutdownReason().isPresent();
  }

  ClusterStatus(ActorSystem<?> system) {
    this.system = system;
    this.health = new ClusterHealth(system);
  }

  @Override
  public CompletionStage<ClusterView> status() {
    return AskPattern
        .<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
            ShardRegion.ClusterShardingStats>
            ask(
                ClusterSharding.get(system).shardState(),
                replyTo ->
                    new GetClusterShardingStats(SensorEntity.TYPE_KEY, STATS_TIMEOUT, replyTo),
                STATS_TIMEOUT.plusSeconds(1),
                system.scheduler())
        .handle((stats, failure) -> view(stats == null ? Map.of() : stats.getRegions()));
  }

  private ClusterView view(Map<Address, ShardRegion.ShardRegionStats> regions) {
    Cluster cluster = Cluster.get(system);
    ClusterEvent.CurrentClusterState state = cluster.state();
    Address self = cluster.selfMember().address();
    Address leader = state.getLeader();
    List<MemberView> members = new ArrayList<>();
    for (Member m : state.getMembers()) {
      ShardRegion.ShardRegionStats r = regions.get(m.address());
      int shards = r == null ? 0 : r.getStats().size();
      int entities = 0;
      if (r != null) {
        for (Object n : r.getStats().values()) {
          entities += ((Number) n).intValue();
        }
      }
      members.add(
          new MemberView(
              m.address().toString(),
              m.status().toString(),
              !state.getUnreachable().contains(m),
              m.address().equals(self),
              m.address().equals(leader),
              m.appVersion().version(),
              shards,
              entities));
    }
    Optional<String> refusal = health.writeRefusal();
    return new ClusterView(
        self.toString(),
        leader == null ? null : leader.toString(),
        members,
        state.getUnreachable().size(),
        refusal.isEmpty(),
        refusal.orElse(null));
  }
}
