package org.sensorcluster.domain.event;

import java.time.Instant;
import org.sensorcluster.domain.SensorMetadata;

/**
 * An operator registered the sensor or replaced its metadata (a PUT: the whole metadata, not a
 * patch).
 *
 * @param metadata the metadata now in force
 * @param updatedAt server time of the change
 */
public record SensorMetadataUpdated(SensorMetadata metadata, Instant updatedAt)
    implements SensorEvent {}
