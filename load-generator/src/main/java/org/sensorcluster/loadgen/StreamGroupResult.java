package org.sensorcluster.loadgen;

import java.util.Map;

/** What one group's clients received. */
record StreamGroupResult(
    String path,
    int clients,
    int connected,
    int refused,
    Map<Integer, Integer> refusedByStatus,
    int failed,
    int disconnects,
    long eventsMin,
    long eventsMax,
    long eventsTotal,
    long latencyCount,
    double latencyP50Ms,
    double latencyP99Ms,
    double latencyMaxMs) {}
