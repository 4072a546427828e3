package org.sensorcluster.systemtest;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The scenarios of issue 4. Faults hit node 2 or 3, never node 1: node 1 is the first seed, and a
 * first seed that is (re)started while it cannot reach the other seeds forms a cluster of its own
 * (Pekko's seed-node rule), which is a different experiment.
 */
final class Scenarios {

  private Scenarios() {}

  /** Longer than failure detection (~3-5 s) plus the split-brain resolver's stable-after (5 s by default here). */
  static final Duration PARTITION_HOLD = Duration.ofSeconds(20);

  static Scenario kill9() {
    return new Scenario("1-kill9", "kill -9 one node of 3, restart it", 3, ctx -> {
      ctx.node(2).kill9();
      ctx.event("node2 killed (kill -9)");
      ctx.sleep(Duration.ofSeconds(15));
      ctx.node(2).start();
      ctx.event("node2 restarted");
      ctx.awaitReady(2);
    });
  }

  static Scenario isolate(boolean alsoFromDatabase) {
    String id = alsoFromDatabase ? "2a-isolate-node-and-db" : "2b-isolate-node-keep-db";
    String title = "one node of 3 isolated from the other nodes" + (alsoFromDatabase ? " and from the database" : " (database still reachable)")
        + " for " + PARTITION_HOLD.toSeconds() + " s, then healed";
    return new Scenario(id, title, 3, ctx -> {
      ctx.net().isolate(3);
      if (alsoFromDatabase) {
        ctx.net().cutDatabase(3);
      }
      ctx.event("node3 isolated" + (alsoFromDatabase ? " (also from the database)" : ""));
      ctx.sleep(PARTITION_HOLD);
      ctx.event("during the partition: " + ctx.cluster().membersSummary());
      ctx.net().heal();
      ctx.event("healed");
    });
  }

  static Scenario split32() {
    return new Scenario("3-split-3-2", "5 nodes split 3|2 for " + PARTITION_HOLD.toSeconds() + " s, then healed", 5, ctx -> {
      ctx.net().partition(List.of(Set.of(1, 2, 3), Set.of(4, 5)));
      ctx.event("split {1,2,3} | {4,5}");
      ctx.sleep(PARTITION_HOLD);
      ctx.event("during the partition: " + ctx.cluster().membersSummary());
      ctx.net().heal();
      ctx.event("healed");
    });
  }

  static Scenario databaseCutFromOneNode() {
    return new Scenario("4a-db-unreachable-from-one-node", "the database unreachable from node 2 for 20 s", 3, ctx -> {
      ctx.net().cutDatabase(2);
      ctx.event("node2 cut off the database");
      ctx.sleep(Duration.ofSeconds(20));
      ctx.net().restoreDatabase(2);
      ctx.event("node2 reaches the database again");
    });
  }

  static Scenario databaseRestart() {
    return new Scenario("4b-db-restart", "the database 'restarted': its forwarder killed (every connection closed,"
        + " new ones refused) for 10 s, then started again", 3, ctx -> {
      ctx.proxy().stop();
      ctx.event("database forwarder killed");
      ctx.sleep(Duration.ofSeconds(10));
      ctx.proxy().start();
      ctx.event("database forwarder back");
    });
  }

  static Scenario freeze() {
    return new Scenario("5-freeze", "node 3 frozen (SIGSTOP) for 20 s, longer than failure detection + stable-after, then resumed",
        3, ctx -> {
      ctx.node(3).freeze();
      ctx.event("node3 frozen");
      ctx.sleep(Duration.ofSeconds(20));
      ctx.event("while node3 is frozen: " + ctx.cluster().membersSummary());
      ctx.node(3).resume();
      ctx.event("node3 resumed");
    });
  }

  static Scenario rollingRestart() {
    return new Scenario("6-rolling-restart", "rolling restart of all 3 nodes (SIGTERM, wait for exit, start, wait ready, next)",
        3, ctx -> {
      for (int i : new int[] {3, 2, 1}) {
        long t0 = System.nanoTime();
        Integer exit = ctx.node(i).terminate(Duration.ofSeconds(60));
        ctx.event("node" + i + " SIGTERM: " + (exit == null ? "did NOT exit within 60 s (killed)" : "exited with " + exit)
            + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        if (exit == null) {
          ctx.node(i).kill9();
        }
        ctx.node(i).start();
        ctx.awaitReady(i);
        boolean up = ctx.cluster().awaitMembersUp(3, Duration.ofSeconds(60));
        ctx.event("after restarting node" + i + ": " + (up ? "" : "NOT ") + "3 Up; " + ctx.cluster().membersSummary());
      }
    });
  }

  static List<Scenario> all() {
    return List.of(kill9(), isolate(true), isolate(false), split32(), databaseCutFromOneNode(), databaseRestart(),
        freeze(), rollingRestart());
  }

  static List<Scenario> ci() {
    return List.of(kill9(), isolate(false), rollingRestart());
  }
}
