package org.sensorcluster.domain.view;

import java.time.Instant;
import java.util.List;

/**
 * Readings of one sensor over [from, to): raw points or aggregated buckets, never both.
 *
 * @param sensorId the sensor
 * @param step the resolution served
 * @param from inclusive start
 * @param to exclusive end
 * @param points raw readings ordered by time (step RAW), else empty
 * @param buckets buckets ordered by start (step MINUTE or HOUR), else empty
 * @param truncated whether more rows existed than the row bound allowed
 */
public record Series(
    String sensorId,
    Step step,
    Instant from,
    Instant to,
    List<Point> points,
    List<Bucket> buckets,
    boolean truncated) {

  /** One raw reading. */
  public record Point(Instant timestamp, double value) {}

  /** An aggregate over [start, start + step). */
  public record Bucket(Instant start, long count, double min, double max, double avg) {}
}
