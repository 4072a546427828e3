package org.sensorcluster.loadgen;

import java.util.Locale;

/** What rebuilding one read model measured: one JSON line and one row of the table. */
record ReplayRow(
    String model,
    int fromGen,
    int toGen,
    long journalEvents,
    double appliedSeconds,
    double swapSeconds,
    double nodeMeanEventsPerSecond,
    double nodePeakEventsPerSecond) {
  /**
   * Replay rate: the whole journal over the time until the new generation had applied all of it.
   */
  double eventsPerSecond() {
    return journalEvents / appliedSeconds;
  }

  String json() {
    return String.format(
        Locale.ROOT,
        "{\"figure\":\"replay\",\"model\":\"%s\",\"fromGeneration\":%d,"
            + "\"toGeneration\":%d,\"journalEvents\":%d,\"appliedSeconds\":%.2f,\"swapSeconds\":%.2f,"
            + "\"eventsPerSecond\":%.0f,\"nodeMeanEventsPerSecond\":%.0f,\"nodePeakEventsPerSecond\":%.0f}",
        model,
        fromGen,
        toGen,
        journalEvents,
        appliedSeconds,
        swapSeconds,
        eventsPerSecond(),
        nodeMeanEventsPerSecond,
        nodePeakEventsPerSecond);
  }
}
