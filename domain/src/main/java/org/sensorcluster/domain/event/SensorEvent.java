package org.sensorcluster.domain.event;

/**
 * Everything a sensor's journal holds. The fully-qualified names of the implementations are stored
 * in the journal: never move or rename them; evolve them by adding optional fields.
 */
public sealed interface SensorEvent
    permits ReadingsRecorded,
        SensorMetadataUpdated,
        SensorDecommissioned,
        AlertRaised,
        AlertCleared,
        SensorWentSilent {}
