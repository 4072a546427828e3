package org.sensorcluster.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node processes of one scenario, one per host, all with the same seed list (the first three
 * hosts), the scenario's database behind the forwarder, and a short split-brain-resolver {@code
 * stable-after}. Also plays the orchestrator: a node that exits by itself (downed by the
 * split-brain resolver, gave up joining) is started again after {@link Orchestrator#RESTART_DELAY},
 * with the same environment, unless the harness stopped it on purpose.
 */
final class NodeCluster implements AutoCloseable {

  final List<NodeProcess> nodes = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(1))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final long t0 = System.nanoTime();
  private final ClusterMembers membership = new ClusterMembers(nodes, http);
  private final Orchestrator orchestrator = new Orchestrator(nodes, this::event);

  NodeCluster(NetworkNamespaces net, ScenarioDatabase db, HarnessSettings settings, Path logDir) {
    int n = net.hosts();
    Path tls = ClusterCerts.make(logDir.resolve("cluster-tls"));
    List<String> seeds = new ArrayList<>();
    for (int i = 1; i <= Math.min(3, n); i++) {
      seeds.add(net.ip(i) + ":" + NodeProcess.REMOTE_PORT);
    }
    for (int i = 1; i <= n; i++) {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("SENSORS_REMOTE_HOST", net.ip(i));
      env.put("SENSORS_REMOTE_PORT", Integer.toString(NodeProcess.REMOTE_PORT));
      env.put("SENSORS_HTTP_HOST", "0.0.0.0");
      env.put("SENSORS_HTTP_PORT", Integer.toString(NodeProcess.HTTP_PORT));
      env.put("SENSORS_MANAGEMENT_PORT", Integer.toString(NodeProcess.MANAGEMENT_PORT));
      env.put("SENSORS_SEED_NODES", String.join(",", seeds));
      env.put("SENSORS_DB_URL", db.nodeUrl(settings.bridgeIp()));
      env.put("SENSORS_DB_USER", ScenarioDatabase.USER);
      if (!ScenarioDatabase.PASSWORD.isEmpty()) {
        env.put("SENSORS_DB_PASSWORD", ScenarioDatabase.PASSWORD);
      }
      // The shipped failure detection and split-brain settings unless a run asks for others
      // (issue 17: the outage budgets hold with the defaults a user gets).
      if (!settings.sbrStableAfter().isEmpty()) {
        env.put("SENSORS_SBR_STABLE_AFTER", settings.sbrStableAfter());
      }
      String detectorPause = HarnessSettings.prop("faults.failureDetectorPause", "");
      if (!detectorPause.isEmpty()) {
        env.put("SENSORS_FAILURE_DETECTOR_PAUSE", detectorPause);
      }
      // 5 nodes x (16 + 8) connections would exceed PostgreSQL's default max_connections of 100
      env.put("SENSORS_DB_JOURNAL_MAX_CONNECTIONS", n > 3 ? "8" : "12");
      env.put("SENSORS_DB_READ_MODEL_MAX_CONNECTIONS", n > 3 ? "4" : "6");
      env.put("SENSORS_DATA_DIR", logDir.resolve("data-node" + i).toString());
      env.put("SENSORS_ADMIN_TOKEN", SuiteToken.VALUE);
      env.put("SENSORS_CLUSTER_TLS", "on"); // cluster traffic over TLS with mutual authentication
      env.put("SENSORS_CLUSTER_TLS_DIR", tls.toString());
      env.putAll(HarnessSettings.extraNodeEnv());
      nodes.add(
          new NodeProcess(
              i, net.namespace(i), net.ip(i), logDir.resolve("node" + i + ".log"), env, settings));
    }
  }

  NodeProcess node(int i) {
    return nodes.get(i - 1);
  }

  HttpClient http() {
    return http;
  }

  /**
   * Starts every node; waits until each is ready and the cluster has every node Up. Call {@link
   * #startOrchestrator} first: a node that fails during start is then restarted, as an orchestrator
   * would (and the failure is recorded as an event).
   */
  void startAll(Duration timeout) {
    for (NodeProcess n : nodes) {
      n.start();
    }
    if (!awaitHealthy(timeout)) {
      throw new IllegalStateException(
          "cluster not formed within "
              + timeout
              + ": "
              + membersSummary()
              + "; logs in "
              + nodes.get(0).log.getParent());
    }
    event("all " + nodes.size() + " nodes ready, cluster " + membersSummary());
  }

  /**
   * Waits until every node runs and answers ready, and one of them sees all nodes Up and none
   * unreachable (nodes that exit meanwhile are restarted by the orchestrator).
   */
  boolean awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (true) {
      List<String> notReady = new ArrayList<>();
      for (NodeProcess n : nodes) {
        if (!n.isRunning() || n.frozen() || !n.ready(http)) {
          notReady.add(
              n.name() + (n.isRunning() ? "" : " (not running, exit " + n.exitCode() + ")"));
        }
      }
      if (notReady.isEmpty() && awaitMembersUp(nodes.size(), Duration.ZERO)) {
        event("healthy: " + membersSummary());
        return true;
      }
      last = notReady.isEmpty() ? membersSummary() : "not ready: " + notReady;
      if (System.nanoTime() > deadline) {
        event("NOT healthy after " + timeout.toSeconds() + " s: " + last + "; " + membersSummary());
        return false;
      }
      NetworkNamespaces.sleep(500);
    }
  }

  boolean awaitMembersUp(int count, Duration timeout) {
    return membership.awaitMembersUp(count, timeout);
  }

  Optional<JsonNode> members(NodeProcess n) {
    return membership.members(n);
  }

  /** "node1: 3 Up / 0 unreachable; node2: ..." as each running node sees it. */
  String membersSummary() {
    return membership.membersSummary();
  }

  /**
   * Base URLs of the nodes the load goes to: running, and ready once since their (re)start ({@link
   * NodeProcess#inRotation}).
   */
  List<String> loadUrls() {
    List<String> out = new ArrayList<>();
    for (NodeProcess n : nodes) {
      if (n.inRotation(http)) {
        out.add(n.baseUrl());
      }
    }
    return out;
  }

  /** Restarts nodes that exited by themselves; see the class comment. */
  void startOrchestrator() {
    orchestrator.start();
  }

  void stopOrchestrator() {
    orchestrator.stop();
  }

  void event(String what) {
    String line = String.format("t=%5.1fs %s", (System.nanoTime() - t0) / 1e9, what);
    events.add(line);
    System.out.println("[faults]   " + line);
  }

  List<String> events() {
    return events;
  }

  /** A finding that fails the scenario; also a line of the timeline. */
  void problem(String what) {
    problems.add(what);
    event("PROBLEM: " + what);
  }

  List<String> problems() {
    return problems;
  }

  /**
   * Exits of nodes the harness did not cause (downed by the split-brain resolver, failed start,
   * crash).
   */
  int exitsByThemselves() {
    return (int) events.stream().filter(e -> e.contains(" exited by itself")).count();
  }

  @Override
  public void close() {
    stopOrchestrator();
    for (NodeProcess n : nodes) {
      n.destroy();
    }
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }
}
