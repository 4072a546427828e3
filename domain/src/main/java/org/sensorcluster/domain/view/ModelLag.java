package org.sensorcluster.domain.view;

/**
 * How far a read model is behind the journal, summed over its tags (worst tag for the time).
 *
 * @param model read model (projection) name
 * @param events journal events not yet applied
 * @param millis age of the oldest unapplied event (0 when caught up)
 * @param measuredAgoMillis how old this measurement is
 */
public record ModelLag(String model, long events, long millis, long measuredAgoMillis) {}
