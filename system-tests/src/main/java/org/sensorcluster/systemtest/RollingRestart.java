package org.sensorcluster.systemtest;

import java.time.Duration;
import java.util.List;

/**
 * Scenario 6: a rolling restart of all 3 nodes under load. Besides the suite's checks it asserts
 * issue 17's "no gap": during the restarts, no second without a 202 (one allowed in the CI subset)
 * and no 503 a client must wait out (only a draining node's own {@code Retry-After: 0}).
 */
final class RollingRestart {

  private RollingRestart() {}

  static Scenario scenario() {
    return new Scenario(
        "6-rolling-restart",
        "rolling restart of all 3 nodes (SIGTERM, wait for exit, start, wait ready, next)",
        3,
        Scenarios.ROLLING,
        ctx -> {
          double from = ctx.load().sinceStart();
          restartEachNode(ctx);
          double to = ctx.load().sinceStart();
          long gap = ctx.load().secondsWithoutServiceBetween(from, to);
          List<String> waits = ctx.load().refusalsToWaitOut(from, to);
          String what =
              String.format(
                  java.util.Locale.ROOT,
                  "rolling restart (%.1f-%.1f s after the load started): %d s without service, %d"
                      + " refusal(s) to wait out",
                  from,
                  to,
                  gap,
                  waits.size());
          if (gap > ROLLING_GAP_SECONDS || !waits.isEmpty()) {
            ctx.problem(what + " (budget: " + ROLLING_GAP_SECONDS + " s, none) " + waits);
          } else {
            ctx.event(what);
          }
        });
  }

  /**
   * Issue 17: no gap during a rolling restart. Seconds of the restarts without one 202: none in the
   * full suite; the CI subset, which may run on a loaded machine, allows 1 ({@code
   * -Dfaults.rollingGapSeconds} sets it). Without the drain of ADR 24 the same runs had 3 and 1
   * such seconds; with it 0 in every run but one, where a just-restarted node answered its first
   * requests slowly (a cold JVM) while the next node drained.
   */
  static final long ROLLING_GAP_SECONDS =
      Long.parseLong(
          HarnessSettings.prop(
              "faults.rollingGapSeconds",
              HarnessSettings.prop("faults.suite", "short").equals("full") ? "0" : "1"));

  /** SIGTERM each node in turn (3, 2, 1), wait for its exit, start it, wait until all are Up. */
  private static void restartEachNode(Scenario.Context ctx) {
    for (int i : new int[] {3, 2, 1}) {
      long t0 = System.nanoTime();
      Integer exit = ctx.node(i).terminate(Duration.ofSeconds(60));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      if (exit == null) {
        ctx.problem("node" + i + " did NOT exit within 60 s of SIGTERM (killed)");
        ctx.node(i).kill9();
      } else if (exit != 0 && exit != 143) { // 143 = 128 + SIGTERM, after the shutdown hook ran
        ctx.problem(
            "node"
                + i
                + " exited with "
                + exit
                + " after SIGTERM (expected 0 or 143), "
                + ms
                + " ms");
      } else {
        ctx.event("node" + i + " SIGTERM: exited with " + exit + " after " + ms + " ms");
      }
      ctx.node(i).start();
      ctx.awaitReady(i);
      if (ctx.cluster().awaitMembersUp(3, Duration.ofSeconds(60))) {
        ctx.event("after restarting node" + i + ": 3 Up; " + ctx.cluster().membersSummary());
      } else {
        ctx.problem(
            "after restarting node"
                + i
                + ": NOT 3 Up within 60 s; "
                + ctx.cluster().membersSummary());
      }
    }
  }
}
