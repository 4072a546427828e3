package org.sensorcluster.node.entity;

import io.prometheus.metrics.core.metrics.Histogram;

/**
 * The Prometheus histograms the sensor entity observes. Built here, registered with the node's
 * other metrics by {@code NodeMetrics}: the entity depends on nothing of the node's.
 */
public final class EntityMetrics {

  /** Time from persist to the journal's confirmation, measured in the entity. */
  public static final Histogram PERSIST_LATENCY =
      Histogram.builder()
          .name("sensors_persist_latency_seconds")
          .help("Time from an entity's persist to the journal's confirmation")
          .classicOnly()
          .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
          .build();

  /** Time from an entity's start to the end of its recovery (snapshot + events replayed). */
  public static final Histogram RECOVERY_TIME =
      Histogram.builder()
          .name("sensors_entity_recovery_seconds")
          .help(
              "Time a sensor entity took to recover its state (snapshot and events) when it started")
          .classicOnly()
          .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
          .build();

  /** Readings per persisted event (one event per sensor per request). */
  public static final Histogram EVENT_READINGS =
      Histogram.builder()
          .name("sensors_persist_event_readings")
          .help("Readings stored by one journal event")
          .classicOnly()
          .classicUpperBounds(1, 2, 5, 10, 50, 100, 500, 1000, 10000)
          .build();

  private EntityMetrics() {}
}
