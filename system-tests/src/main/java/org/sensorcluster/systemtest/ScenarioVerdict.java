package org.sensorcluster.systemtest;

import java.util.ArrayList;
import java.util.List;

/**
 * The end of a {@link FaultSuite} scenario, once the load drained and the journal was checked:
 * journal key violations and notable lines in the node logs, the checker's findings, the {@link
 * Budget}, the read models; the problems found decide PASS or FAIL, the details explain the run.
 */
final class ScenarioVerdict {

  private ScenarioVerdict() {}

  /**
   * Adds what it finds to {@code problems} and {@code details} (both already hold what the run
   * found before) and returns the scenario's result.
   */
  static ScenarioResult judge(
      Scenario s,
      NodeCluster cluster,
      LoadDriver load,
      JournalChecker.Report report,
      int startFailures,
      List<String> problems,
      StringBuilder details) {
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
                load.refused503(),
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
    if (!load.refusals().isEmpty()) {
      details.append("503s (s after the load started, host, problem, Retry-After, unconfirmed):\n");
      load.refusals().stream().limit(40).forEach(x -> details.append("  ").append(x).append('\n'));
    }
    if (!load.slow().isEmpty()) {
      details.append("replies that took 1 s or more (sent s after the load started, host):\n");
      load.slow().stream().limit(40).forEach(x -> details.append("  ").append(x).append('\n'));
    }
    if (!report.examples().isEmpty()) {
      details.append("checker findings:\n");
      report.examples().forEach(x -> details.append("  ").append(x).append('\n'));
    }
    details.append("node log lines (first matches per node):\n");
    interesting.forEach(x -> details.append("  ").append(x).append('\n'));
    return new ScenarioResult(
        s.id(),
        s.title(),
        report.acknowledged(),
        report.lost(),
        report.duplicated(),
        load.refused503(),
        load.secondsWithoutService(),
        problems.isEmpty() ? "PASS" : "FAIL(" + String.join("; ", problems) + ")",
        details.toString(),
        List.copyOf(cluster.events()));
  }
}
