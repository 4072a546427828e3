package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} after real traffic through the routes. */
class MetricsRouteTest extends ApiTestBase {

  private double value(String scrape, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private String scrape() {
    Resp r = get("/metrics");
    assertEquals(200, r.status());
    assertTrue(r.contentType().startsWith("text/plain"), r::contentType);
    return r.body();
  }

  @Test
  void countersMoveWithTraffic() {
    String before = scrape();
    String ok =
        "sensors_http_requests_total{method=\"POST\",route=\"sensor_readings\",status=\"202\"}";
    String bad =
        "sensors_http_requests_total{method=\"POST\",route=\"sensor_readings\",status=\"422\"}";
    String accepted =
        "sensors_ingest_readings_total{outcome=\"accepted\",route=\"sensor_readings\"}";
    String dup = "sensors_ingest_readings_total{outcome=\"duplicate\",route=\"sensor_readings\"}";
    String batchAccepted = "sensors_ingest_readings_total{outcome=\"accepted\",route=\"readings\"}";
    String batchRejected = "sensors_ingest_readings_total{outcome=\"rejected\",route=\"readings\"}";
    String latencyCount = "sensors_http_request_duration_seconds_count{route=\"sensor_readings\"}";
    String notFound = "sensors_http_requests_total{method=\"GET\",route=\"other\",status=\"404\"}";

    postJson(
        "/api/v1/sensors/m-1/readings",
        "[{\"readingId\":\"a\",\"value\":1},{\"readingId\":\"b\",\"value\":2}]");
    postJson("/api/v1/sensors/m-1/readings", "{\"readingId\":\"a\",\"value\":1}");
    postJson("/api/v1/sensors/m-1/readings", "{\"value\":1,\"timestamp\":\"yesterday\"}");
    postJson(
        "/api/v1/readings",
        "[{\"sensorId\":\"m-2\",\"value\":1},{\"sensorId\":\"bad id\",\"value\":1}]");
    get("/api/v1/nothing-here");

    String after = scrape();
    assertEquals(2, value(after, ok) - value(before, ok), after);
    assertEquals(1, value(after, bad) - value(before, bad));
    assertEquals(2, value(after, accepted) - value(before, accepted));
    assertEquals(1, value(after, dup) - value(before, dup));
    assertEquals(1, value(after, batchAccepted) - value(before, batchAccepted));
    assertEquals(1, value(after, batchRejected) - value(before, batchRejected));
    assertEquals(3, value(after, latencyCount) - value(before, latencyCount));
    assertEquals(1, value(after, notFound) - value(before, notFound));
    assertTrue(
        after.contains("sensors_ingest_request_readings_bucket{route=\"readings\",le=\"10.0\"}"),
        after);
  }

  @Test
  void sensorIdsNeverBecomeLabels() {
    postJson("/api/v1/sensors/unique-sensor-4711/readings", "{\"value\":1}");
    get("/api/v1/sensors/unique-sensor-4711");
    assertTrue(!scrape().contains("unique-sensor-4711"));
  }
}
