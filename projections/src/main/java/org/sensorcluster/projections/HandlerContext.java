package org.sensorcluster.projections;

import java.time.Clock;

/**
 * What a read model's handler may depend on: the database dialect, the generation and tag it
 * writes, the clock and settings (retention windows), and the counter of events it applied.
 */
public record HandlerContext(
    Dialect dialect,
    int generation,
    String tag,
    Clock clock,
    ReadModelSettings settings,
    ProjectionCounters.Counter counter) {}
