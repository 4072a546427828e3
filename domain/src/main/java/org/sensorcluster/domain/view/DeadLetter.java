package org.sensorcluster.domain.view;

/**
 * One journal event a projection could not apply and skipped (a poison event), for {@code GET
 * /api/v1/admin/projections/dead-letters}; see docs/adr/0016-poison-events.md.
 *
 * @param model read model name
 * @param projection projection name (model and generation, e.g. {@code alerts-g3})
 * @param generation generation of the read model's tables
 * @param tag event tag of the projection instance
 * @param persistenceId the event's entity
 * @param seqNr the event's sequence number in its entity
 * @param offset the event's journal ordering (-1 when the offset is not a sequence)
 * @param error class and message of the failure when applied alone
 * @param recordedAt epoch milliseconds of the recording
 */
public record DeadLetter(
    String model,
    String projection,
    int generation,
    String tag,
    String persistenceId,
    long seqNr,
    long offset,
    String error,
    long recordedAt) {}
