package org.sensorcluster.node.handoff;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;

/**
 * The members of the cluster, as this node heard, that are moving their sensors away before they
 * stop ({@link DrainRegistry}). Keyed by unique address: a member restarted on the same host and
 * port is a new incarnation and is not draining.
 */
public final class DrainingMembers {

  private final Set<String> members = ConcurrentHashMap.newKeySet();

  static String key(UniqueAddress member) {
    return member.address() + "#" + member.longUid();
  }

  /** Whether {@code member} announced that it is draining. */
  public boolean isDraining(Member member) {
    return members.contains(key(member.uniqueAddress()));
  }

  /** Whether {@code member} can take shards now: Up, reachable in {@code state}, not draining. */
  public boolean takesShards(Member member, ClusterEvent.CurrentClusterState state) {
    return member.status() == MemberStatus.up()
        && !state.getUnreachable().contains(member)
        && !isDraining(member);
  }

  boolean add(String member) {
    return members.add(member);
  }

  void remove(String member) {
    members.remove(member);
  }
}
