package org.sensorcluster.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cluster formation as in Kubernetes, without Kubernetes: real node processes, each in its own
 * network namespace (its "pod IP"), configured exactly as the manifests configure a pod ({@code
 * SENSORS_DISCOVERY=kubernetes-api}, no seed nodes), find each other through an in-process fake
 * Kubernetes API server ({@link FakeKubernetesApi}) that lists their pods, and bootstrap into one
 * cluster. The fake then lists 5 pods and the two new nodes join; it lists 3 again, the two are
 * terminated as Kubernetes would (SIGTERM) and leave. Last, the readiness semantics: a node cut off
 * from the database turns not-ready while {@code /alive} stays 200, and ready again once it is
 * back.
 */
class KubernetesBootstrapTest {

  private static final Duration READY = Duration.ofSeconds(150);
  private static HarnessSettings settings;

  @BeforeAll
  static void preconditions() {
    settings = HarnessAssumptions.require("the Kubernetes bootstrap test");
  }

  @AfterAll
  static void cleanUp() {
    if (settings == null) {
      return; // skipped before anything was set up
    }
    new NetworkNamespaces(settings).tearDown();
  }

  @Test
  void podsListedByTheKubernetesApiFormOneClusterAndScale() throws Exception {
    Path dir = settings.outputDir().resolve("k8s-bootstrap");
    Files.createDirectories(dir);
    NetworkNamespaces net = new NetworkNamespaces(settings);
    try (net;
        DatabaseProxy proxy = new DatabaseProxy(settings.bridgeIp(), dir.resolve("socat.log"));
        ScenarioDatabase db = ScenarioDatabase.create("k8s_bootstrap", settings.keepDatabases());
        FakeKubernetesApi api =
            new FakeKubernetesApi(settings.bridgeIp(), dir.resolve("serviceaccount"))) {
      net.setUp(5);
      proxy.start();
      api.start();
      try (NodeCluster cluster = new NodeCluster(net, db, settings, dir)) {
        for (NodeProcess n : cluster.nodes) {
          asPod(n, api);
        }
        System.out.println(
            "[k8s] fake Kubernetes API on https://"
                + settings.bridgeIp()
                + ":"
                + api.port()
                + "; node logs in "
                + dir);

        // 1. a Deployment of 3: the API lists 3 pods, 3 nodes start at once
        api.setPods(FakeKubernetesApi.podsOf(net, 3));
        startAndAwaitReady(cluster, List.of(1, 2, 3));
        assertOneCluster(cluster, List.of(1, 2, 3), net, Duration.ofSeconds(60));
        Set<String> callers = api.callers();
        for (int i = 1; i <= 3; i++) {
          assertTrue(
              callers.contains(net.ip(i)),
              "node"
                  + i
                  + " never listed pods through the API; callers "
                  + callers
                  + ", refused "
                  + api.refused());
        }
        assertEquals(List.of(), api.refused(), "requests the fake API refused");
        assertEquals(
            202,
            postReading(cluster, cluster.node(2), "k8s-sensor-1"),
            "a write through node2 after bootstrap");

        // 2. scale to 5: the API lists 5, the two new pods start and join the existing cluster
        api.setPods(FakeKubernetesApi.podsOf(net, 5));
        startAndAwaitReady(cluster, List.of(4, 5));
        assertOneCluster(cluster, List.of(1, 2, 3, 4, 5), net, Duration.ofSeconds(60));
        assertEquals(
            202,
            postReading(cluster, cluster.node(5), "k8s-sensor-2"),
            "a write through a new node");

        // 3. scale back to 3: the pods disappear from the list and get SIGTERM; they leave cleanly
        api.setPods(FakeKubernetesApi.podsOf(net, 3));
        for (int i : List.of(5, 4)) {
          NodeProcess n = cluster.node(i);
          long t = System.nanoTime();
          Integer exit = n.terminate(Duration.ofSeconds(90));
          // the JVM exits with 128 + 15 after its SIGTERM hook (coordinated shutdown) has run
          assertTrue(
              exit != null && (exit == 0 || exit == 143),
              n.name() + " exit code after SIGTERM: " + exit + " (null: still running after 90 s)");
          assertTrue(
              !n.grepLog(1, "as [Leaving]").isEmpty(),
              n.name() + " did not leave the cluster gracefully");
          System.out.printf(
              "[k8s] %s left the cluster and exited (%d) %d ms after SIGTERM%n",
              n.name(), exit, (System.nanoTime() - t) / 1_000_000);
        }
        assertOneCluster(cluster, List.of(1, 2, 3), net, Duration.ofSeconds(60));

        // 4. readiness follows the database; liveness does not
        NodeProcess n1 = cluster.node(1);
        assertTrue(n1.ready(cluster.http()), "node1 ready before the database cut");
        net.cutDatabase(1);
        long cutAt = System.nanoTime();
        boolean notReady = false;
        while (System.nanoTime() - cutAt < Duration.ofSeconds(30).toNanos()) {
          assertEquals(
              200, status(cluster, n1, "/alive"), "/alive while the database is unreachable");
          if (status(cluster, n1, "/ready") != 200) {
            notReady = true;
            break;
          }
          NetworkNamespaces.sleep(500);
        }
        long notReadyAfterMs = (System.nanoTime() - cutAt) / 1_000_000;
        assertTrue(notReady, "node1 still ready 30 s after losing its database");
        for (int k = 0; k < 10; k++) { // stays not-ready and alive for a while (no flapping)
          assertEquals(
              200, status(cluster, n1, "/alive"), "/alive while the database is unreachable");
          assertTrue(
              status(cluster, n1, "/ready") != 200,
              "/ready flapped back while the database is cut");
          NetworkNamespaces.sleep(500);
        }
        net.restoreDatabase(1);
        assertTrue(
            n1.awaitReady(cluster.http(), Duration.ofSeconds(60)),
            "node1 not ready again after the cut");
        System.out.printf(
            "[k8s] PASS: 3 pods bootstrapped one cluster, scaled to 5 and back to 3; database cut:"
                + " not ready after %d ms, /alive 200 throughout%n",
            notReadyAfterMs);
      }
    }
  }

  private static void asPod(NodeProcess n, FakeKubernetesApi api) {
    Map<String, String> env = n.env();
    env.remove("SENSORS_SEED_NODES");
    env.put("SENSORS_DISCOVERY", "kubernetes-api");
    env.put("SENSORS_BOOTSTRAP_SERVICE_NAME", "sensors");
    env.put("SENSORS_REQUIRED_CONTACT_POINTS", "3");
    env.put("SENSORS_K8S_NAMESPACE", FakeKubernetesApi.NAMESPACE);
    env.put("SENSORS_K8S_CA_PATH", api.caFile().toString());
    env.put("SENSORS_K8S_TOKEN_PATH", api.tokenFile().toString());
    env.put("KUBERNETES_SERVICE_HOST", settings.bridgeIp());
    env.put("KUBERNETES_SERVICE_PORT", Integer.toString(api.port()));
    env.put("SENSORS_APP_VERSION", "1.0.0");
  }

  private static void startAndAwaitReady(NodeCluster cluster, List<Integer> which) {
    for (int i : which) {
      cluster.node(i).start();
    }
    for (int i : which) {
      NodeProcess n = cluster.node(i);
      if (!n.awaitReady(cluster.http(), READY)) {
        fail(
            n.name()
                + " not ready within "
                + READY.toSeconds()
                + " s (exit "
                + n.exitCode()
                + "); log "
                + n.log
                + ":\n  "
                + String.join("\n  ", n.grepLog(20, "error", "warn", "bootstrap")));
      }
    }
  }

  /**
   * Every listed node sees exactly the listed nodes, all Up, none unreachable, and the same leader.
   */
  private static void assertOneCluster(
      NodeCluster cluster, List<Integer> which, NetworkNamespaces net, Duration timeout) {
    Set<String> expected = new TreeSet<>();
    for (int i : which) {
      expected.add(net.ip(i));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (true) {
      List<String> problems = new ArrayList<>();
      Set<String> leaders = new TreeSet<>();
      for (int i : which) {
        Optional<JsonNode> m = cluster.members(cluster.node(i));
        if (m.isEmpty()) {
          problems.add("node" + i + ": no answer");
          continue;
        }
        Set<String> up = new TreeSet<>();
        Set<String> all = new TreeSet<>();
        for (JsonNode member : m.get().path("members")) {
          String host = hostOf(member.path("node").asText());
          all.add(host + ":" + member.path("status").asText());
          if ("Up".equals(member.path("status").asText())) {
            up.add(host);
          }
        }
        if (!up.equals(expected)
            || all.size() != expected.size()
            || m.get().path("unreachable").size() > 0) {
          problems.add(
              "node" + i + " sees " + all + ", unreachable " + m.get().path("unreachable"));
        }
        leaders.add(m.get().path("leader").asText());
      }
      if (problems.isEmpty() && leaders.size() == 1) {
        System.out.println(
            "[k8s] one cluster of " + which.size() + ": " + expected + ", leader " + leaders);
        return;
      }
      last = problems + " leaders " + leaders;
      if (System.nanoTime() > deadline) {
        fail("not one cluster of " + expected + " after " + timeout.toSeconds() + " s: " + last);
      }
      NetworkNamespaces.sleep(500);
    }
  }

  private static String hostOf(String address) {
    // pekko://sensors@198.18.0.11:25520
    int at = address.indexOf('@');
    int colon = address.lastIndexOf(':');
    return at < 0 || colon < at ? address : address.substring(at + 1, colon);
  }

  private static int status(NodeCluster cluster, NodeProcess n, String path) {
    return n.get(cluster.http(), path).map(HttpResponse::statusCode).orElse(-1);
  }

  /**
   * One reading; a 503 (a new sensor's first write on a loaded machine can miss the ask timeout) is
   * retried for 30 s.
   */
  private static int postReading(NodeCluster cluster, NodeProcess n, String sensor)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      int status =
          n.postReading(cluster.http(), sensor, "{\"value\": 21.5}", Duration.ofSeconds(20))
              .map(HttpResponse::statusCode)
              .orElse(-1);
      if (status != 503 || System.nanoTime() > deadline) {
        return status;
      }
      Thread.sleep(1000);
    }
  }
}
