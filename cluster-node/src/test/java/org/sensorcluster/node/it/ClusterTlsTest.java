package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sensorcluster.node.RepoRoot;
import org.sensorcluster.testing.TestPostgres;

/**
 * Cluster traffic over TLS with mutual authentication, on real processes: two nodes with
 * certificates of the cluster's CA form a cluster and serve writes; a node whose certificate
 * another CA signed (same subject), and a node without TLS, cannot join.
 */
class ClusterTlsTest {

  private static final Duration READY = Duration.ofSeconds(90);

  /** Runs k8s/cluster-certs.sh (the script operators use) into {@code dir}. */
  static Path certs(Path dir) throws Exception {
    Process p =
        new ProcessBuilder(
                RepoRoot.find().resolve("k8s/cluster-certs.sh").toString(), dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(
        p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "cluster-certs.sh failed: " + out);
    return dir;
  }

  private static Map<String, String> env(TestPostgres pg, Path tls) {
    Map<String, String> env = NodeProcess.postgresEnv(pg, "INFO");
    if (tls != null) {
      env.put("SENSORS_CLUSTER_TLS", "on");
      env.put("SENSORS_CLUSTER_TLS_DIR", tls.toString());
    }
    return env;
  }

  @Test
  void nodes_of_the_cluster_ca_form_a_cluster_and_others_cannot_join(@TempDir Path tmp)
      throws Exception {
    Path clusterCa = certs(tmp.resolve("cluster"));
    Path otherCa = certs(tmp.resolve("other"));
    TestPostgres pg = TestPostgres.createDatabase("cluster_tls");
    NodeProcess a = new NodeProcess(env(pg, clusterCa), NodeProcess.logFile("tls-node-a"));
    NodeProcess b = new NodeProcess(env(pg, clusterCa), NodeProcess.logFile("tls-node-b"));
    NodeProcess intruder =
        new NodeProcess(env(pg, otherCa), NodeProcess.logFile("tls-intruder-other-ca"));
    NodeProcess plain = new NodeProcess(env(pg, null), NodeProcess.logFile("tls-intruder-plain"));
    try {
      String seeds = "127.0.0.1:" + a.remotePort + ",127.0.0.1:" + b.remotePort;
      for (NodeProcess n : List.of(a, b, intruder, plain)) {
        n.setEnv("SENSORS_SEED_NODES", seeds);
      }
      a.launch();
      b.launch();
      a.awaitReady(READY);
      b.awaitReady(READY);
      assertEquals(
          2,
          a.awaitUpMembers(2, Duration.ofSeconds(30)),
          "the two nodes of the cluster's CA are Up");
      assertEquals(
          202,
          new ApiClient(b.httpPort).postJson("/sensors/tls-1/readings", "{\"value\":1}").status(),
          "sharding works over TLS");
      assertTrue(
          Files.readString(a.log).contains("Remoting started with transport [Artery tls-tcp]"),
          "node a runs Artery over TLS; log " + a.log);

      intruder.launch();
      plain.launch();
      long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
      while (System.nanoTime() < deadline) {
        assertEquals(2, a.upMembers(), "no third member may join");
        Thread.sleep(1000);
      }
      assertFalse(
          intruder.ready(), "the node with another CA's certificate is not ready (never joined)");
      assertTrue(
          Files.readString(intruder.log).contains("PKIX path validation failed"),
          "refused at the TLS handshake for its certificate; log " + intruder.log);
      assertFalse(plain.ready(), "the node without TLS is not ready (never joined)");
      assertEquals(2, a.upMembers());
      assertEquals(2, b.upMembers());
    } finally {
      for (NodeProcess n : List.of(a, b, intruder, plain)) {
        n.close();
      }
      pg.drop();
    }
  }

  @Test
  void tls_on_without_its_files_fails_the_start_with_a_clear_message(@TempDir Path tmp)
      throws Exception {
    TestPostgres pg = TestPostgres.createDatabase("cluster_tls_missing");
    NodeProcess n =
        new NodeProcess(
            env(pg, tmp.resolve("nothing-here")), NodeProcess.logFile("tls-missing-files"));
    try {
      n.launch();
      String message = "";
      try {
        n.awaitReady(Duration.ofSeconds(60));
      } catch (IllegalStateException e) {
        message = e.getMessage();
      }
      assertTrue(
          message.contains("tls.key is missing"),
          "start fails naming the missing file: " + message);
    } finally {
      n.close();
      pg.drop();
    }
  }
}
