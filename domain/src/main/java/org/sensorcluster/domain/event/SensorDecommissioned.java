package org.sensorcluster.domain.event;

import java.time.Instant;

/** The sensor was taken out of service: it accepts no more readings; its history stays. */
public record SensorDecommissioned(Instant decommissionedAt) implements SensorEvent {}
