package org.sensorcluster.domain.view;

/**
 * Which alerts {@code GET /api/v1/alerts} lists, newest raised first (raisedAt desc, sensorId,
 * alertNumber).
 *
 * @param open true: open only; false: closed only; null: both
 * @param sensorId only this sensor's alerts, or null
 * @param after keyset: only alerts after this one in the order, or null from the start
 * @param limit page size, 1..1000
 */
public record AlertFilter(Boolean open, String sensorId, AlertKey after, int limit) {

  /** The position of one alert in the list order. */
  public record AlertKey(java.time.Instant raisedAt, String sensorId, long alertNumber) {}
}
