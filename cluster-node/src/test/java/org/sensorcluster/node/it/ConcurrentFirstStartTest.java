package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sensorcluster.testing.TestPostgres;

/**
 * Nodes started at the same moment on an empty PostgreSQL database (a fresh Kubernetes install, the
 * README's 3-node procedure) all come up, form one cluster and take writes, without a stall at
 * schema creation. Before ADR 13 the waiters' blocking {@code pg_advisory_lock} and the holder's
 * {@code CREATE INDEX CONCURRENTLY} deadlocked across two connections until the 30 s socket
 * timeout, which shows in a node's log as a "database not ready" retry (or as a node that exits).
 * Several rounds, each on a new database, because the race does not happen every time.
 */
class ConcurrentFirstStartTest {

  private static final Duration READY = Duration.ofSeconds(120);

  @Test
  void three_nodes_started_at_once_on_an_empty_database_come_up_without_a_stall() throws Exception {
    for (int round = 1; round <= 2; round++) {
      startAtOnce(3, round);
    }
  }

  @Test
  void five_nodes_started_at_once_on_an_empty_database_come_up_without_a_stall() throws Exception {
    for (int round = 1; round <= 2; round++) {
      startAtOnce(5, round);
    }
  }

  private static void startAtOnce(int count, int round) throws Exception {
    TestPostgres pg = TestPostgres.createDatabase("firststart" + count);
    List<NodeProcess> nodes = new ArrayList<>();
    try {
      for (int i = 1; i <= count; i++) {
        Map<String, String> env = NodeProcess.postgresEnv(pg, "WARN");
        // five JVMs starting on two shared cores delay heartbeats by seconds: not a failure here
        env.put("SENSORS_FAILURE_DETECTOR_PAUSE", "10s");
        nodes.add(
            new NodeProcess(
                env, NodeProcess.logFile("first-start-" + count + "-round" + round + "-node" + i)));
      }
      List<String> seeds = new ArrayList<>();
      for (NodeProcess n : nodes.subList(0, Math.min(3, count))) {
        seeds.add("127.0.0.1:" + n.remotePort);
      }
      for (NodeProcess n : nodes) {
        n.setEnv("SENSORS_SEED_NODES", String.join(",", seeds));
      }
      long t0 = System.nanoTime();
      for (NodeProcess n : nodes) {
        n.launch();
      }
      List<Long> readyMs = new ArrayList<>();
      for (NodeProcess n : nodes) {
        n.awaitReady(READY);
        readyMs.add((System.nanoTime() - t0) / 1_000_000);
      }
      System.out.printf(
          "first start, %d nodes at once, round %d: ready after %s ms%n", count, round, readyMs);

      for (int i = 0; i < count; i++) {
        List<String> retries = grep(nodes.get(i), "database not ready", "not reachable to create");
        assertEquals(
            List.of(),
            retries,
            "node"
                + (i + 1)
                + " of "
                + count
                + " (round "
                + round
                + ") stalled at schema creation; log "
                + nodes.get(i).log);
      }
      assertEquals(
          count,
          nodes.get(0).awaitUpMembers(count, Duration.ofSeconds(30)),
          "members Up seen by node1");
      assertEquals(
          202,
          postUntilAccepted(nodes.get(count - 1), "first-start-" + round),
          "a write through the last node (503s retried for 60 s, as a client does)");
    } finally {
      for (NodeProcess n : nodes) {
        n.close();
      }
      pg.drop();
    }
  }

  private static List<String> grep(NodeProcess n, String... needles) throws IOException {
    List<String> hits = new ArrayList<>();
    for (String line : Files.readAllLines(n.log)) {
      for (String needle : needles) {
        if (line.contains(needle)) {
          hits.add(line);
        }
      }
    }
    return hits;
  }

  /** One reading through {@code n}; a 503 is retried for 60 s, as a client does. */
  private static int postUntilAccepted(NodeProcess n, String sensor) throws InterruptedException {
    ApiClient api = new ApiClient(n.httpPort);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      int status = api.postJson("/sensors/" + sensor + "/readings", "{\"value\": 21.5}").status();
      if (status != 503 || System.nanoTime() > deadline) {
        return status;
      }
      Thread.sleep(500);
    }
  }
}
