package org.sensorcluster.systemtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs scenarios one after the other, each on fresh hosts with a fresh database: hosts up,
 * forwarder up, database created, nodes started and formed into a cluster, load started, warm-up,
 * the fault (which heals itself), wait for the cluster to be whole again (the orchestrator restarts
 * nodes that exited), more load, stop new load, drain resends, check the database, tear everything
 * down (also on failure, and from a JVM shutdown hook on Ctrl-C).
 */
final class FaultSuite {

  private final HarnessSettings settings;
  private final Duration warmUp;
  private final Duration afterHeal;
  private final List<ScenarioResult> results = new ArrayList<>();
  private volatile Runnable cleanup = () -> {};

  FaultSuite(HarnessSettings settings, Duration warmUp, Duration afterHeal) {
    this.settings = settings;
    this.warmUp = warmUp;
    this.afterHeal = afterHeal;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> cleanup.run(), "fault-suite-cleanup"));
  }

  List<ScenarioResult> results() {
    return results;
  }

  ScenarioResult run(Scenario s) {
    System.out.println("[faults] === scenario " + s.id() + ": " + s.title() + " ===");
    Path dir = settings.outputDir().resolve(s.id());
    NetworkNamespaces net = new NetworkNamespaces(settings);
    DatabaseProxy proxy = null;
    ScenarioDatabase db = null;
    NodeCluster cluster = null;
    LoadDriver load = null;
    AckLog acks = new AckLog();
    List<String> problems = new ArrayList<>();
    StringBuilder details = new StringBuilder();
    ScenarioResult result;
    try {
      deleteRecursively(dir);
      Files.createDirectories(dir);
      final NetworkNamespaces fNet = net;
      cleanup = fNet::tearDown;
      net.setUp(s.nodes());
      proxy = new DatabaseProxy(settings.bridgeIp(), dir.resolve("socat.log"));
      DatabaseProxy fProxy = proxy;
      cleanup =
          () -> {
            fProxy.stop();
            fNet.tearDown();
          };
      proxy.start();
      db = ScenarioDatabase.create(s.id(), settings.keepDatabases());
      details
          .append("database ")
          .append(db.name)
          .append("; node logs in ")
          .append(dir)
          .append('\n');
      cluster = new NodeCluster(net, db, settings, dir);
      NodeCluster fCluster = cluster;
      cleanup =
          () -> {
            fCluster.close();
            fProxy.stop();
            fNet.tearDown();
          };
      cluster.startOrchestrator();
      cluster.startAll(settings.readyTimeout());
      int startFailures = 0;
      for (String e : cluster.events()) {
        if (e.contains("exited by itself")) {
          startFailures++;
        }
      }
      if (startFailures > 0) {
        problems.add(startFailures + " node exit(s) while the cluster was first starting");
      }
      load = new LoadDriver(cluster::loadUrls, settings, acks);
      load.start();
      cluster.event("load started");
      NetworkNamespaces.sleep(warmUp.toMillis());
      cluster.event("fault: " + s.title());
      try {
        s.fault().inject(new Scenario.Context(net, proxy, cluster, load, settings));
      } finally {
        net.heal();
        proxy.start();
        for (NodeProcess n : cluster.nodes) {
          if (n.frozen()) {
            n.resume();
          }
          if (!n.isRunning() && n.held()) {
            cluster.event("restarting " + n.name() + " left stopped by the fault");
            n.start();
          }
        }
      }
      boolean healthy = cluster.awaitHealthy(settings.readyTimeout());
      if (!healthy) {
        problems.add("cluster not whole again after heal");
      }
      NetworkNamespaces.sleep(afterHeal.toMillis());
      load.stopGenerating();
      cluster.event("load stopped; draining resends (" + load.pendingItems() + " items pending)");
      boolean drained = load.drain(Duration.ofSeconds(60));
      cluster.event("drained=" + drained + "; " + load.summary());
      cluster.stopOrchestrator();
      acks.writeTo(dir.resolve("acknowledged.txt"));
      JournalChecker.Report report;
      try (Connection c = db.connect()) {
        report = JournalChecker.check(c, acks, settings.readModelTimeout());
      }
      result = ScenarioVerdict.judge(s, cluster, load, report, startFailures, problems, details);
    } catch (Exception | AssertionError e) {
      e.printStackTrace(System.out);
      result =
          new ScenarioResult(
              s.id(),
              s.title(),
              acks.count(),
              -1,
              -1,
              load == null ? 0 : load.refused503(),
              load == null ? 0 : load.secondsWithoutService(),
              "ERROR(" + e + ")",
              details.toString(),
              cluster == null ? List.of() : List.copyOf(cluster.events()));
    } finally {
      if (load != null) {
        load.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      if (proxy != null) {
        proxy.stop();
      }
      net.tearDown();
      if (db != null) {
        db.close();
      }
      cleanup = () -> {};
    }
    results.add(result);
    System.out.println(result.line());
    if (!result.passed()) {
      System.out.println("    timeline:");
      System.out.print(indent(indent(String.join("\n", result.events()))));
    }
    System.out.print(indent(result.details()));
    return result;
  }

  /** The table of every scenario run so far. */
  String table() {
    return SuiteReport.table(results);
  }

  /**
   * Table plus, per scenario, the timeline and the details: the generated part of
   * docs/fault-tests.md.
   */
  String report(String command) {
    return SuiteReport.report(results, command);
  }

  void writeOutputs(String command, Path docsFile) throws IOException {
    SuiteReport.writeOutputs(results, settings, command, docsFile);
  }

  private static String indent(String s) {
    StringBuilder sb = new StringBuilder();
    for (String line : s.split("\n")) {
      sb.append("    ").append(line).append('\n');
    }
    return sb.toString();
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
