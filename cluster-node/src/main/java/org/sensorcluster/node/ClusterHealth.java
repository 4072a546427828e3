package org.sensorcluster.node;

import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Whether this node may take writes. A node that is not Up (joining, leaving, downed) or that sees
 * itself on the minority side of a partition refuses them at once with 503 + Retry-After instead of
 * letting them wait for the split-brain resolver: on the minority side the resolver will down this
 * node (and it will exit), and the sensors it cannot reach would only time out. The minority rule
 * follows keep-majority: fewer than half of the members reachable, or exactly half without the
 * member with the lowest address (which wins an even split).
 */
final class ClusterHealth {

  private final Cluster cluster;

  ClusterHealth(ActorSystem<?> system) {
    this.cluster = Cluster.get(system);
  }

  /** Why writes are refused right now, or empty when this node may take them. */
  Optional<String> writeRefusal() {
    // A node told to stop (SIGTERM) stays Up while it drains: it refuses new requests at the HTTP
    // layer (shutting-down, Retry-After: 0) and carries out those already in flight, as its shard
    // region serves until after the HTTP side stopped (ADR 24). A downed or leaving node is not Up.
    Member self = cluster.selfMember();
    if (self.status() != MemberStatus.up() && self.status() != MemberStatus.weaklyUp()) {
      return Optional.of(
          "this node is "
              + self.status().toString().toLowerCase()
              + " in the cluster, not up; send to another node");
    }
    ClusterEvent.CurrentClusterState state = cluster.state();
    Set<Member> unreachable = state.getUnreachable();
    if (unreachable.isEmpty()) {
      return Optional.empty();
    }
    int total = 0;
    int reachable = 0;
    Address lowest = null;
    boolean lowestReachable = false;
    for (Member m : state.getMembers()) {
      if (m.status() == MemberStatus.down() || m.status() == MemberStatus.removed()) {
        continue;
      }
      total++;
      boolean ok = !unreachable.contains(m);
      if (ok) {
        reachable++;
      }
      if (lowest == null || Member.addressOrdering().compare(m.address(), lowest) < 0) {
        lowest = m.address();
        lowestReachable = ok;
      }
    }
    if (reachable * 2 < total || reachable * 2 == total && !lowestReachable) {
      return Optional.of(
          "this node is on the minority side of a network partition ("
              + reachable
              + " of "
              + total
              + " members reachable); the split-brain resolver will down it; send to another node");
    }
    return Optional.empty();
  }
}
