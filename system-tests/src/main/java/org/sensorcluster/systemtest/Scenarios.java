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

  // Budgets (see Budget): the full suite's figures with the shipped settings (2026-12-04, quiet
  // machine: kill9 16 s without service, 2a 13, 2b 13, split 21, 4a 23, 4b 15, freeze 18, rolling
  // 11; each includes 3-10 s of the load's own cold start) plus a margin for a loaded 2-core CI
  // machine. Allowed exits are the nodes the split-brain resolver downs (they exit and the
  // orchestrator restarts them). The 503 budget is 10 per budgeted second: a refused batch is
  // resent after Retry-After while its thread goes on with new batches 50 ms later.
  static final Budget KILL9 = new Budget(300, 30, 300, 0);
  static final Budget ISOLATE = new Budget(300, 30, 300, 1);
  static final Budget SPLIT = new Budget(300, 45, 450, 2);
  static final Budget DB_CUT = new Budget(300, 40, 400, 0);
  static final Budget DB_RESTART = new Budget(300, 25, 250, 0);
  static final Budget FREEZE = new Budget(300, 35, 350, 1);
  static final Budget ROLLING = new Budget(300, 40, 400, 0);

  /**
   * Longer than failure detection (~4 s) plus the split-brain resolver's stable-after (2 s shipped,
   * ADR 21) and down-removal-margin (1 s).
   */
  static final int RECOVERY_PROBE_SENSORS = 16;

  /**
   * Issue 17: every sensor served again within 10 s of a crash, with the shipped settings; measured
   * by the full suite. The CI subset, which may run on a loaded machine, allows 15 s ({@code
   * -Dfaults.servedAgainWithin} sets it).
   */
  static Duration servedAgainAfterCrash() {
    boolean full = HarnessSettings.prop("faults.suite", "short").equals("full");
    return HarnessSettings.duration(
        HarnessSettings.prop("faults.servedAgainWithin", full ? "10s" : "15s"));
  }

  static final Duration PARTITION_HOLD = Duration.ofSeconds(20);

  static Scenario kill9() {
    return new Scenario(
        "1-kill9",
        "kill -9 one node of 3, restart it",
        3,
        KILL9,
        ctx -> {
          RecoveryProbe probe = RecoveryProbe.prime(ctx, 1, RECOVERY_PROBE_SENSORS);
          ctx.node(2).kill9();
          long killedAt = System.nanoTime();
          ctx.event("node2 killed (kill -9)");
          probe.awaitServed(ctx, killedAt, servedAgainAfterCrash());
          ctx.sleep(Duration.ofSeconds(15).minus(Duration.ofNanos(System.nanoTime() - killedAt)));
          ctx.node(2).start();
          ctx.event("node2 restarted");
          ctx.awaitReady(2);
        });
  }

  static Scenario isolate(boolean alsoFromDatabase) {
    String id = alsoFromDatabase ? "2a-isolate-node-and-db" : "2b-isolate-node-keep-db";
    String title =
        "one node of 3 isolated from the other nodes"
            + (alsoFromDatabase ? " and from the database" : " (database still reachable)")
            + " for "
            + PARTITION_HOLD.toSeconds()
            + " s, then healed";
    return new Scenario(
        id,
        title,
        3,
        ISOLATE,
        ctx -> {
          ctx.net().isolate(3);
          if (alsoFromDatabase) {
            ctx.net().cutDatabase(3);
          }
          long isolatedAt = System.nanoTime();
          ctx.event("node3 isolated" + (alsoFromDatabase ? " (also from the database)" : ""));
          if (!alsoFromDatabase) {
            PartitionProbe.minorityRefusesAtOnce(ctx, 3);
            PartitionProbe.majorityServesEverySensor(ctx, 1, 8, Duration.ofSeconds(15));
          }
          ctx.sleep(PARTITION_HOLD.minus(Duration.ofNanos(System.nanoTime() - isolatedAt)));
          ctx.event("during the partition: " + ctx.cluster().membersSummary());
          ctx.net().heal();
          ctx.event("healed");
        });
  }

  static Scenario split32() {
    return new Scenario(
        "3-split-3-2",
        "5 nodes split 3|2 for " + PARTITION_HOLD.toSeconds() + " s, then healed",
        5,
        SPLIT,
        ctx -> {
          ctx.net().partition(List.of(Set.of(1, 2, 3), Set.of(4, 5)));
          ctx.event("split {1,2,3} | {4,5}");
          ctx.sleep(PARTITION_HOLD);
          ctx.event("during the partition: " + ctx.cluster().membersSummary());
          ctx.net().heal();
          ctx.event("healed");
        });
  }

  static Scenario databaseCutFromOneNode() {
    return new Scenario(
        "4a-db-unreachable-from-one-node",
        "the database unreachable from node 2 for 20 s",
        3,
        DB_CUT,
        ctx -> {
          ctx.net().cutDatabase(2);
          ctx.event("node2 cut off the database");
          ctx.sleep(Duration.ofSeconds(20));
          ctx.net().restoreDatabase(2);
          ctx.event("node2 reaches the database again");
        });
  }

  static Scenario databaseRestart() {
    return new Scenario(
        "4b-db-restart",
        "the database 'restarted': its forwarder killed (every connection closed,"
            + " new ones refused) for 10 s, then started again",
        3,
        DB_RESTART,
        ctx -> {
          ctx.proxy().stop();
          ctx.event("database forwarder killed");
          ctx.sleep(Duration.ofSeconds(10));
          ctx.proxy().start();
          ctx.event("database forwarder back");
        });
  }

  static Scenario freeze() {
    return new Scenario(
        "5-freeze",
        "node 3 frozen (SIGSTOP) for 20 s, longer than failure detection + stable-after, then resumed",
        3,
        FREEZE,
        ctx -> {
          ctx.node(3).freeze();
          ctx.event("node3 frozen");
          ctx.sleep(Duration.ofSeconds(20));
          ctx.event("while node3 is frozen: " + ctx.cluster().membersSummary());
          ctx.node(3).resume();
          ctx.event("node3 resumed");
        });
  }

  static List<Scenario> all() {
    return List.of(
        kill9(),
        isolate(true),
        isolate(false),
        split32(),
        databaseCutFromOneNode(),
        databaseRestart(),
        freeze(),
        RollingRestart.scenario());
  }

  static List<Scenario> ci() {
    return List.of(kill9(), isolate(false), RollingRestart.scenario());
  }
}
