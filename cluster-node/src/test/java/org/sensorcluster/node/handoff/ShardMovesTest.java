package org.sensorcluster.node.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.sensorcluster.node.handoff.ShardMoves.Region;
import org.sensorcluster.node.handoff.ShardMoves.Standing;

class ShardMovesTest {

  private static final long SECOND = 1_000_000_000L;

  private static List<String> shards(int from, int to) {
    return IntStream.range(from, to).mapToObj(Integer::toString).toList();
  }

  private static Region<String> region(String id, List<String> shards, Standing standing) {
    return new Region<>(id, shards, standing, true, true);
  }

  @Test
  void newShardsGoToTheEmptiestMemberThatTakesShards() {
    List<Region<String>> regions =
        List.of(
            region("a", shards(0, 5), Standing.TAKES_SHARDS),
            region("b", shards(5, 7), Standing.TAKES_SHARDS),
            region("c", List.of(), Standing.DRAINING),
            region("d", List.of(), Standing.NOT_READY));
    assertEquals(Optional.of("b"), ShardMoves.allocate(regions));
  }

  @Test
  void inARollingUpdateNewShardsGoToTheNewVersionEvenIfItHoldsMore() {
    List<Region<String>> regions =
        List.of(
            new Region<>("old", shards(0, 2), Standing.TAKES_SHARDS, false, true),
            new Region<>("new", shards(2, 9), Standing.TAKES_SHARDS, true, false));
    assertEquals(Optional.of("new"), ShardMoves.allocate(regions));
  }

  @Test
  void shardsGoToASettledMemberBeforeOneThatJustJoinedEvenIfItHoldsMore() {
    List<Region<String>> regions =
        List.of(
            new Region<>("fresh", List.of(), Standing.TAKES_SHARDS, true, false),
            new Region<>("settled", shards(0, 40), Standing.TAKES_SHARDS, true, true));
    assertEquals(Optional.of("settled"), ShardMoves.allocate(regions));
    List<Region<String>> allFresh =
        List.of(
            new Region<>("a", shards(0, 5), Standing.TAKES_SHARDS, true, false),
            new Region<>("b", List.of(), Standing.TAKES_SHARDS, true, false));
    assertEquals(Optional.of("b"), ShardMoves.allocate(allFresh));
  }

  @Test
  void withNoMemberThatTakesShardsAMemberNotReadyYetComesBeforeADrainingOne() {
    List<Region<String>> regions =
        List.of(
            region("gone", List.of(), Standing.GONE),
            region("going", List.of(), Standing.DRAINING),
            region("joining", shards(0, 3), Standing.NOT_READY));
    assertEquals(Optional.of("joining"), ShardMoves.allocate(regions));
    assertEquals(Optional.empty(), ShardMoves.allocate(List.<Region<String>>of()));
  }

  @Test
  void aDrainingMembersShardsMoveAFewAtATimeEachCountedUntilItHasANewHome() {
    ShardMoves<String> moves = new ShardMoves<>(4);
    List<String> draining = shards(0, 10);
    List<String> other = new ArrayList<>(shards(10, 20));
    Set<String> first =
        moves.rebalance(
            List.of(
                region("a", draining, Standing.DRAINING),
                region("b", other, Standing.TAKES_SHARDS)),
            Set.of(),
            true,
            0);
    assertEquals(Set.of("0", "1", "2", "3"), first);

    // Pekko hands them off (in progress), then lets them go (no home): nothing more moves yet
    List<Region<String>> handedOff =
        List.of(
            region("a", shards(4, 10), Standing.DRAINING),
            region("b", other, Standing.TAKES_SHARDS));
    assertEquals(Set.of(), moves.rebalance(handedOff, Set.of(), true, SECOND / 10));

    // two of them have their new home: two more may move
    other.addAll(List.of("0", "1"));
    List<Region<String>> halfway =
        List.of(
            region("a", shards(4, 10), Standing.DRAINING),
            region("b", other, Standing.TAKES_SHARDS));
    assertEquals(Set.of("4", "5"), moves.rebalance(halfway, Set.of(), true, SECOND / 5));
  }

  @Test
  void aMovedShardThatNobodyAsksForStopsCountingAfterAWhile() {
    ShardMoves<String> moves = new ShardMoves<>(2);
    List<Region<String>> regions =
        List.of(
            region("a", shards(0, 6), Standing.DRAINING),
            region("b", List.of(), Standing.TAKES_SHARDS));
    assertEquals(Set.of("0", "1"), moves.rebalance(regions, Set.of(), true, 0));
    List<Region<String>> after =
        List.of(
            region("a", shards(2, 6), Standing.DRAINING),
            region("b", List.of(), Standing.TAKES_SHARDS));
    assertEquals(Set.of(), moves.rebalance(after, Set.of(), true, SECOND));
    assertEquals(Set.of("2", "3"), moves.rebalance(after, Set.of(), true, 3 * SECOND));
  }

  @Test
  void nothingMovesFromAMemberThatIsGoneOrUnreachable() {
    // a crashed member's region until Pekko removes it: a hand-off from it would wait a minute
    ShardMoves<String> moves = new ShardMoves<>(4);
    List<Region<String>> regions =
        List.of(
            region("crashed", shards(0, 10), Standing.GONE),
            region("b", shards(10, 20), Standing.TAKES_SHARDS),
            region("c", List.of(), Standing.TAKES_SHARDS));
    assertEquals(Set.of(), moves.rebalance(regions, Set.of(), true, 0));
    assertEquals(Optional.of("c"), ShardMoves.allocate(regions));
  }

  @Test
  void shardsInProgressCountAgainstTheLimitAndAreNotChosenAgain() {
    ShardMoves<String> moves = new ShardMoves<>(4);
    List<Region<String>> regions =
        List.of(
            region("a", shards(0, 10), Standing.DRAINING),
            region("b", List.of(), Standing.TAKES_SHARDS));
    assertEquals(Set.of("2", "3"), moves.rebalance(regions, Set.of("0", "1"), true, 0));
  }

  @Test
  void nothingMovesWhenNoOtherMemberCanTakeTheShards() {
    ShardMoves<String> moves = new ShardMoves<>(4);
    List<Region<String>> alone = List.of(region("a", shards(0, 10), Standing.DRAINING));
    assertEquals(Set.of(), moves.rebalance(alone, Set.of(), true, 0));
    List<Region<String>> othersNotReady =
        List.of(
            region("a", shards(0, 10), Standing.DRAINING),
            region("b", List.of(), Standing.NOT_READY));
    assertEquals(Set.of(), moves.rebalance(othersNotReady, Set.of(), true, 0));
  }

  @Test
  void aCalmClusterMovesShardsOneAtATimeFromTheFullestToTheEmptiestMember() {
    ShardMoves<String> moves = new ShardMoves<>(4);
    List<String> a = new ArrayList<>(shards(0, 10));
    List<String> b = new ArrayList<>(shards(10, 19));
    List<String> fresh = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      List<Region<String>> regions =
          List.of(
              region("a", a, Standing.TAKES_SHARDS),
              region("b", b, Standing.TAKES_SHARDS),
              region("new", fresh, Standing.TAKES_SHARDS));
      Set<String> chosen = moves.rebalance(regions, Set.of(), true, round * SECOND / 10);
      assertEquals(1, chosen.size(), "round " + round + ": " + chosen);
      String shard = chosen.iterator().next();
      assertTrue(a.size() >= b.size() ? a.contains(shard) : b.contains(shard), shard);
      // while it moves, nothing else does
      assertEquals(Set.of(), moves.rebalance(regions, Set.of(shard), true, round * SECOND / 10));
      a.remove(shard);
      b.remove(shard);
      fresh.add(shard);
    }
    assertEquals(List.of(6, 7, 6), List.of(a.size(), b.size(), fresh.size()));
    List<Region<String>> balanced =
        List.of(
            region("a", a, Standing.TAKES_SHARDS),
            region("b", b, Standing.TAKES_SHARDS),
            region("new", fresh, Standing.TAKES_SHARDS));
    assertEquals(Set.of(), moves.rebalance(balanced, Set.of(), true, SECOND));
    List<Region<String>> unbalanced =
        List.of(
            region("a", a, Standing.TAKES_SHARDS), region("b", List.of(), Standing.TAKES_SHARDS));
    assertEquals(
        Set.of(), new ShardMoves<String>(4).rebalance(unbalanced, Set.of(), false, 0), "not calm");
  }

  @Test
  void aBalancedClusterMovesNothing() {
    ShardMoves<String> moves = new ShardMoves<>(4);
    List<Region<String>> regions =
        List.of(
            region("a", shards(0, 34), Standing.TAKES_SHARDS),
            region("b", shards(34, 67), Standing.TAKES_SHARDS),
            region("c", shards(67, 100), Standing.TAKES_SHARDS));
    assertEquals(Set.of(), moves.rebalance(regions, Set.of(), true, 0));
  }

  @Test
  void drainingComesBeforeBalanceAndBalanceWaitsUntilNoMemberIsGoing() {
    ShardMoves<String> moves = new ShardMoves<>(4);
    List<Region<String>> regions =
        List.of(
            region("a", shards(0, 2), Standing.DRAINING),
            region("b", shards(2, 20), Standing.TAKES_SHARDS),
            region("c", List.of(), Standing.TAKES_SHARDS));
    Set<String> chosen = moves.rebalance(regions, Set.of(), true, 0);
    assertEquals(Set.of("0", "1"), chosen);
    assertTrue(chosen.stream().noneMatch(s -> Integer.parseInt(s) >= 2));
  }
}
