package org.sensorcluster.node.handoff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.util.Version;
import org.sensorcluster.node.handoff.ShardMoves.Region;
import org.sensorcluster.node.handoff.ShardMoves.Standing;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Where the sensor shards live ({@link ShardMoves} decides; this class gives it the coordinator's
 * view of regions and members). A node stopping in a rolling restart has its shards moved away a
 * few at a time while it still serves, so each shard is unavailable only for its own short
 * hand-off; Pekko's own least-shard strategy lets a stopping node hand off every shard at once and
 * only then allocates them again (ADR 24).
 */
public final class DrainAwareAllocation extends ShardCoordinator.AbstractShardAllocationStrategy {

  private final ClusterView cluster;
  private final DrainingMembers draining;
  private final ShardMoves<ActorRef> moves;
  private final LongSupplier nanoTime;
  private final Map<UniqueAddress, Long> upSince = new HashMap<>();

  /**
   * A member Up for less than this is new: it runs on a cold JVM and answers its first requests
   * slowly, so moved shards prefer settled members, and balance waits until every member settled.
   */
  static final Duration SETTLE = Duration.ofSeconds(10);

  /** The cluster as the coordinator sees it now. */
  public interface ClusterView {
    CurrentClusterState state();

    Address selfAddress();
  }

  public DrainAwareAllocation(ClusterView cluster, DrainingMembers draining, int shardsAtOnce) {
    this.cluster = cluster;
    this.draining = draining;
    this.moves = new ShardMoves<>(shardsAtOnce);
    this.nanoTime = System::nanoTime;
  }

  @Override
  public Future<ActorRef> allocateShard(
      ActorRef requester, String shardId, Map<ActorRef, IndexedSeq<String>> allocations) {
    return Futures.successful(ShardMoves.allocate(regions(allocations)).orElse(requester));
  }

  @Override
  public Future<Set<String>> rebalance(
      Map<ActorRef, IndexedSeq<String>> allocations, Set<String> rebalanceInProgress) {
    return Futures.successful(
        moves.rebalance(regions(allocations), rebalanceInProgress, calm(), nanoTime.getAsLong()));
  }

  /**
   * No member joining, leaving, unreachable or new ({@link #SETTLE}), and all on one app version (a
   * rolling update): moves for balance wait for that.
   */
  private boolean calm() {
    CurrentClusterState state = cluster.state();
    long now = nanoTime.getAsLong();
    boolean calm = state.getUnreachable().isEmpty();
    Version newest = newest(state);
    for (Member m : state.getMembers()) {
      if (m.status() != MemberStatus.up() || !m.appVersion().equals(newest) || !settled(m, now)) {
        calm = false;
      }
    }
    return calm;
  }

  /** Whether {@code m} has been Up, as this coordinator saw it, for {@link #SETTLE}. */
  private boolean settled(Member m, long now) {
    if (m.status() != MemberStatus.up()) {
      return false;
    }
    return now - upSince.computeIfAbsent(m.uniqueAddress(), a -> now) >= SETTLE.toNanos();
  }

  private static Version newest(CurrentClusterState state) {
    Version newest = Version.Zero();
    for (Member m : state.getMembers()) {
      if (m.appVersion().compareTo(newest) > 0) {
        newest = m.appVersion();
      }
    }
    return newest;
  }

  private List<Region<ActorRef>> regions(Map<ActorRef, IndexedSeq<String>> allocations) {
    CurrentClusterState state = cluster.state();
    Map<Address, Member> members = new HashMap<>();
    Set<UniqueAddress> present = new HashSet<>();
    long now = nanoTime.getAsLong();
    for (Member m : state.getMembers()) {
      members.put(m.address(), m);
      present.add(m.uniqueAddress());
      settled(m, now); // starts the clock of a member seen Up for the first time
    }
    upSince.keySet().retainAll(present);
    Version newest = newest(state);
    List<Region<ActorRef>> regions = new ArrayList<>();
    for (Map.Entry<ActorRef, IndexedSeq<String>> e : allocations.entrySet()) {
      Address a = e.getKey().path().address();
      Member m = members.get(a.hasLocalScope() ? cluster.selfAddress() : a);
      boolean reachable = m != null && !state.getUnreachable().contains(m);
      Standing standing;
      if (m == null || m.status() == MemberStatus.down() || m.status() == MemberStatus.removed()) {
        standing = Standing.GONE;
      } else if (draining.isDraining(m)) {
        standing = reachable ? Standing.DRAINING : Standing.GONE;
      } else if (draining.takesShards(m, state)) {
        standing = Standing.TAKES_SHARDS;
      } else {
        standing = Standing.NOT_READY;
      }
      boolean isNewest = m != null && m.appVersion().equals(newest);
      boolean isSettled = m != null && settled(m, now);
      regions.add(
          new Region<>(
              e.getKey(),
              CollectionConverters.asJava(e.getValue()),
              standing,
              isNewest,
              isSettled));
    }
    regions.sort(Comparator.comparing(r -> r.id().path().toString()));
    return regions;
  }
}
