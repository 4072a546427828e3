package org.sensorcluster.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
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
      load = new LoadDriver(cluster::runningUrls, settings, acks);
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
      long keyViolations = 0;
      List<String> interesting = new ArrayList<>();
      for (NodeProcess n : cluster.nodes) {
        keyViolations += n.grepLog(10_000, "event_journal_pkey").size();
        for (String line :
            n.grepLog(
                12,
                "event_journal_pkey",
                "downing",
                "split brain",
                "SBR",
                "exit",
                "Coordinated shutdown",
                "Leader can currently not perform",
                "quarantined",
                "unreachable",
                "ERROR")) {
          interesting.add(n.name() + ": " + line);
        }
      }
      if (report.lost() > 0) {
        problems.add(report.lost() + " acknowledged readings lost");
      }
      if (report.duplicated() > 0) {
        problems.add(report.duplicated() + " duplicated readings");
      }
      if (report.sequenceGaps() > 0) {
        problems.add(report.sequenceGaps() + " sequence-number gaps");
      }
      if (keyViolations > 0) {
        problems.add(keyViolations + " journal key violations (two writers) in node logs");
      }
      problems.addAll(cluster.problems());
      problems.addAll(
          s.budget()
              .violations(
                  report.acknowledged(),
                  load.secondsWithoutService(),
                  load.refused503.get(),
                  cluster.exitsByThemselves() - startFailures));
      details.append("budget: ").append(s.budget().describe()).append('\n');
      if (report.readModelMissing() > 0 || !report.readModelsCaughtUp()) {
        problems.add(
            "read models: "
                + report.readModelMissing()
                + " acknowledged readings missing, "
                + report.readModelCountMismatches()
                + " sensors with counts differing from the journal");
      }
      details.append(
          String.format(
              "journal: %d readings of %d sensors; read models caught up after %.1f s: %s%n",
              report.journalReadings(),
              report.sensors(),
              report.readModelWait().toMillis() / 1000.0,
              report.readModelsCaughtUp()));
      details.append("load: ").append(load.summary()).append('\n');
      if (!load.samples().isEmpty()) {
        details.append("sample non-202 replies:\n");
        load.samples().stream().limit(6).forEach(x -> details.append("  ").append(x).append('\n'));
      }
      if (!report.examples().isEmpty()) {
        details.append("checker findings:\n");
        report.examples().forEach(x -> details.append("  ").append(x).append('\n'));
      }
      details.append("node log lines (first matches per node):\n");
      interesting.forEach(x -> details.append("  ").append(x).append('\n'));
      result =
          new ScenarioResult(
              s.id(),
              s.title(),
              report.acknowledged(),
              report.lost(),
              report.duplicated(),
              load.refused503.get(),
              load.secondsWithoutService(),
              problems.isEmpty() ? "PASS" : "FAIL(" + String.join("; ", problems) + ")",
              details.toString(),
              List.copyOf(cluster.events()));
    } catch (Exception | AssertionError e) {
      e.printStackTrace(System.out);
      result =
          new ScenarioResult(
              s.id(),
              s.title(),
              acks.count(),
              -1,
              -1,
              load == null ? 0 : load.refused503.get(),
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
    StringBuilder sb = new StringBuilder(ScenarioResult.tableHeader()).append('\n');
    for (ScenarioResult r : results) {
      sb.append(r.tableRow()).append('\n');
    }
    return sb.toString();
  }

  /**
   * Table plus, per scenario, the timeline and the details: the generated part of
   * docs/fault-tests.md.
   */
  String report(String command) {
    StringBuilder sb = new StringBuilder();
    sb.append("Measured ").append(Instant.now()).append(" on ").append(machine()).append("\n\n");
    sb.append("Command: `").append(command).append("`\n\n");
    sb.append(table()).append('\n');
    for (ScenarioResult r : results) {
      sb.append("#### ").append(r.scenario()).append(": ").append(r.title()).append("\n\n```\n");
      r.events().forEach(e -> sb.append(e).append('\n'));
      sb.append(r.details()).append("```\n\n");
    }
    return sb.toString();
  }

  void writeOutputs(String command, Path docsFile) throws IOException {
    Files.createDirectories(settings.outputDir());
    Files.writeString(
        settings.outputDir().resolve("table.md"), report(command), StandardCharsets.UTF_8);
    System.out.println("[faults] report written to " + settings.outputDir().resolve("table.md"));
    if (docsFile != null) {
      String begin = "<!-- fault-table:begin (generated by system-tests; do not edit by hand) -->";
      String end = "<!-- fault-table:end -->";
      String doc =
          Files.exists(docsFile)
              ? Files.readString(docsFile)
              : "# Fault tests\n\n" + begin + "\n" + end + "\n";
      int b = doc.indexOf(begin);
      int e = doc.indexOf(end);
      if (b < 0 || e < b) {
        doc = doc + "\n" + begin + "\n" + end + "\n";
        b = doc.indexOf(begin);
        e = doc.indexOf(end);
      }
      doc = doc.substring(0, b + begin.length()) + "\n" + report(command) + doc.substring(e);
      Files.writeString(docsFile, doc, StandardCharsets.UTF_8);
      System.out.println("[faults] table written to " + docsFile);
    }
  }

  static String machine() {
    String cpu =
        Shell.run("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").output().trim();
    String mem =
        Shell.run("sh", "-c", "awk '/MemTotal/ {printf \"%.0f GiB\", $2/1048576}' /proc/meminfo")
            .output()
            .trim();
    String kernel = Shell.run("uname", "-r").output().trim();
    return Runtime.getRuntime().availableProcessors()
        + " cores ("
        + cpu
        + "), "
        + mem
        + " RAM, Linux "
        + kernel
        + ", Java "
        + System.getProperty("java.version")
        + ", PostgreSQL on "
        + ScenarioDatabase.HOST
        + ":"
        + ScenarioDatabase.PORT;
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
