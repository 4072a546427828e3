package org.sensorcluster.systemtest;

import java.util.List;

/** What one scenario measured; {@link #line} is the one line printed per scenario. */
record ScenarioResult(
    String scenario,
    String title,
    long acknowledged,
    long lost,
    long duplicated,
    long refused503,
    long secondsWithoutService,
    String result,
    String details,
    List<String> events) {

  boolean passed() {
    return result.equals("PASS");
  }

  String line() {
    return String.format(
        "FAULT-RESULT scenario=%s acknowledged=%d lost=%d duplicated=%d refused503=%d"
            + " secondsWithoutService=%d result=%s",
        scenario, acknowledged, lost, duplicated, refused503, secondsWithoutService, result);
  }

  String tableRow() {
    return String.format(
        "| %s | %d | %d | %d | %d | %d | %s |",
        scenario, acknowledged, lost, duplicated, refused503, secondsWithoutService, result);
  }

  static String tableHeader() {
    return "| scenario | acknowledged | lost | duplicated | refused 503 | seconds without service | result |\n"
        + "|---|---:|---:|---:|---:|---:|---|";
  }
}
