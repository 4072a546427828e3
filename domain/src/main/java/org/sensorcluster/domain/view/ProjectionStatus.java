package org.sensorcluster.domain.view;

/**
 * One projection instance (a read model for one tag), for {@code GET /api/v1/admin/projections}.
 *
 * @param name read model name
 * @param tag event tag it consumes
 * @param generation which generation of tables it fills
 * @param state running, paused, rebuilding
 * @param offset journal ordering it has applied up to
 * @param journalHead highest journal ordering of its tag
 * @param lagEvents events of its tag not yet applied
 * @param lagMillis age of the oldest unapplied event
 * @param eventsPerSecond events applied per second over the last measurement interval
 */
public record ProjectionStatus(
    String name,
    String tag,
    int generation,
    String state,
    long offset,
    long journalHead,
    long lagEvents,
    long lagMillis,
    double eventsPerSecond) {}
