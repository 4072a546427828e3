package org.sensorcluster.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sensorcluster.domain.view.AlertView;
import org.sensorcluster.domain.view.Series;
import org.sensorcluster.domain.view.Step;

/** The JSON bodies of the {@link QueryRoutes} answers. */
final class QueryBodies {

  private QueryBodies() {}

  /** One alert in {@code GET /api/v1/alerts}. */
  record Alert(
      String sensorId,
      long alertNumber,
      String state,
      String bound,
      Instant raisedAt,
      double raisedValue,
      Instant raisedReadingAt,
      Object thresholds,
      Instant clearedAt,
      Double clearedValue) {
    static Alert of(AlertView a) {
      return new Alert(
          a.sensorId(),
          a.alertNumber(),
          a.open() ? "open" : "closed",
          a.bound().name(),
          a.raisedAt(),
          a.raisedValue(),
          a.raisedReadingAt(),
          a.thresholds(),
          a.clearedAt(),
          a.clearedValue());
    }
  }

  /** {@code GET /api/v1/sensors/{id}/readings}: raw points or rollup buckets. */
  static Map<String, Object> series(Series s) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sensorId", s.sensorId());
    body.put("step", s.step().label());
    body.put("from", s.from());
    body.put("to", s.to());
    if (s.step() == Step.RAW) {
      body.put("points", s.points());
    } else {
      body.put("buckets", s.buckets());
    }
    body.put("truncated", s.truncated());
    return body;
  }

  /** One page of a list; {@code next} (may be null) is the cursor of the page after it. */
  static Map<String, Object> page(List<?> items, String next, int limit) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items);
    body.put("limit", limit);
    if (next != null) {
      body.put("nextCursor", next);
    }
    return body;
  }
}
