package org.sensorcluster.node.handoff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which member gets a new shard and which shards move now, without Pekko types ({@link
 * DrainAwareAllocation} feeds it the coordinator's view). New shards go to the member with the
 * fewest shards among those that take shards. At most {@code shardsAtOnce} shards move at a time,
 * counted until each has a new home, away from draining members; when none is draining and the
 * cluster is calm, one shard at a time moves from the fullest member to the emptiest. Not
 * thread-safe: the coordinator calls it from its own actor.
 *
 * @param <R> how a region is identified
 */
final class ShardMoves<R> {

  /**
   * A moved shard counts as moving until it has a new home (Pekko only counts it until its old home
   * let it go), or for this long if nothing asks for it.
   */
  static final Duration AWAIT_NEW_HOME = Duration.ofSeconds(2);

  /**
   * Shards moved at a time for balance: nothing is urgent then, and a member that just joined
   * recovers the sensors of each shard it gets on a cold JVM (a second or more for the first ones).
   */
  static final int BALANCE_AT_ONCE = 1;

  /** What a member's region can do, best first (for a new shard). */
  enum Standing {
    /** Up, reachable, not draining. */
    TAKES_SHARDS,
    /** Would take shards, but is not Up or not reachable now. */
    NOT_READY,
    /** Draining and reachable: its shards move away. */
    DRAINING,
    /**
     * Not (or no longer) a member, or draining but unreachable: nothing moves from it (a hand-off
     * would wait for an answer that cannot come; Pekko frees its shards once it is removed).
     */
    GONE
  }

  /**
   * One shard region: its member's standing, the shards it holds (oldest first), whether the member
   * runs the newest app version among the members (in a rolling update new shards go to the new
   * version, as with Pekko's own strategy), and whether it has been Up for a while (a member that
   * just joined runs on a cold JVM: shards go to settled members first).
   */
  record Region<R>(R id, List<String> shards, Standing standing, boolean newest, boolean settled) {}

  private final int shardsAtOnce;
  private final Map<String, Long> awaitingHome = new HashMap<>();

  ShardMoves(int shardsAtOnce) {
    this.shardsAtOnce = Math.max(1, shardsAtOnce);
  }

  /**
   * The region for a new shard: best standing, then the newest app version, then settled, then
   * fewest shards; empty if there is none.
   */
  static <R> Optional<R> allocate(List<Region<R>> regions) {
    return regions.stream()
        .min(
            Comparator.<Region<R>, Standing>comparing(Region::standing)
                .thenComparing(r -> !r.newest())
                .thenComparing(r -> !r.settled())
                .thenComparingInt(r -> r.shards().size()))
        .map(Region::id);
  }

  /**
   * The shards to move now, given those Pekko is moving ({@code inProgress}), whether the cluster
   * is calm (every member Up and reachable, all on one app version) and the time ({@code nowNanos},
   * {@link System#nanoTime()}).
   */
  Set<String> rebalance(
      List<Region<R>> regions, Set<String> inProgress, boolean calm, long nowNanos) {
    Set<String> moving = moving(regions, inProgress, nowNanos);
    Set<String> chosen = new LinkedHashSet<>();
    int budget = shardsAtOnce - moving.size();
    List<Region<R>> taking =
        regions.stream().filter(r -> r.standing() == Standing.TAKES_SHARDS).toList();
    if (budget <= 0 || taking.isEmpty()) {
      return chosen;
    }
    for (Region<R> r : regions) {
      if (r.standing() == Standing.DRAINING) {
        for (String shard : r.shards()) {
          if (chosen.size() < budget && !moving.contains(shard)) {
            chosen.add(shard);
          }
        }
      }
    }
    if (chosen.isEmpty() && moving.isEmpty() && calm && taking.size() == regions.size()) {
      balance(taking, moving, BALANCE_AT_ONCE, chosen);
    }
    long deadline = nowNanos + AWAIT_NEW_HOME.toNanos();
    chosen.forEach(shard -> awaitingHome.put(shard, deadline));
    return chosen;
  }

  /** Shards being handed off, or handed off and not yet at home again. */
  private Set<String> moving(List<Region<R>> regions, Set<String> inProgress, long now) {
    Set<String> allocated = new HashSet<>();
    regions.forEach(r -> allocated.addAll(r.shards()));
    awaitingHome
        .entrySet()
        .removeIf(
            e ->
                (allocated.contains(e.getKey()) && !inProgress.contains(e.getKey()))
                    || now - e.getValue() > 0);
    Set<String> moving = new HashSet<>(inProgress);
    moving.addAll(awaitingHome.keySet());
    return moving;
  }

  /** Moves shards from the fullest to the emptiest region until they differ by one at most. */
  private void balance(
      List<Region<R>> regions, Set<String> moving, int budget, Set<String> chosen) {
    Map<R, List<String>> movable = new HashMap<>();
    Map<R, Integer> count = new HashMap<>();
    for (Region<R> r : regions) {
      List<String> shards = new ArrayList<>(r.shards());
      shards.removeAll(moving);
      movable.put(r.id(), shards);
      count.put(r.id(), r.shards().size());
    }
    while (chosen.size() < budget) {
      R full = regions.stream().map(Region::id).max(Comparator.comparingInt(count::get)).get();
      R empty = regions.stream().map(Region::id).min(Comparator.comparingInt(count::get)).get();
      List<String> from = movable.get(full);
      if (count.get(full) - count.get(empty) <= 1 || from.isEmpty()) {
        return;
      }
      chosen.add(from.remove(from.size() - 1));
      count.merge(full, -1, Integer::sum);
      count.merge(empty, 1, Integer::sum);
    }
  }
}
