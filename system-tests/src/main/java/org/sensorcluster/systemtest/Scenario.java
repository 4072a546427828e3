package org.sensorcluster.systemtest;

import java.time.Duration;

/**
 * One fault scenario: how many hosts, and what to do to them while the load runs. The suite around
 * it ({@link FaultSuite}) gives it fresh hosts and a fresh database, starts the nodes and the load,
 * and afterwards heals everything, waits for the cluster to be whole again, stops the load and
 * checks: nothing acknowledged lost or duplicated, and the run within its {@link Budget}.
 */
record Scenario(String id, String title, int nodes, Budget budget, Fault fault) {

  /**
   * The fault itself, injected after the warm-up; it should undo what it did (heal) before it
   * returns.
   */
  interface Fault {
    void inject(Context ctx) throws Exception;
  }

  /** What a fault may use. */
  record Context(
      NetworkNamespaces net,
      DatabaseProxy proxy,
      NodeCluster cluster,
      LoadDriver load,
      HarnessSettings settings) {

    void sleep(Duration d) {
      NetworkNamespaces.sleep(Math.max(0, d.toMillis()));
    }

    void event(String what) {
      cluster.event(what);
    }

    NodeProcess node(int i) {
      return cluster.node(i);
    }

    /** A finding that fails the scenario (recorded in the timeline too). */
    void problem(String what) {
      cluster.problem(what);
    }

    /**
     * Waits until node {@code i} answers ready; records how long it took; not ready in time is a
     * problem.
     */
    void awaitReady(int i) {
      long t0 = System.nanoTime();
      boolean ok = node(i).awaitReady(cluster.http(), settings.readyTimeout());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      if (ok) {
        event(node(i).name() + " ready after " + ms + " ms");
      } else {
        problem(node(i).name() + " NOT ready after " + ms + " ms");
      }
    }
  }
}
