package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.view.Series;
import org.sensorcluster.domain.view.Step;

/** Timestamps as integer epoch milliseconds; the readings query as CSV for export. */
class ExportAndTimestampsTest extends ApiTestBase {

  private static final Instant T = Instant.parse("2026-01-15T11:00:00Z");

  @Test
  void a_timestamp_may_be_integer_epoch_milliseconds() {
    long ms = Instant.parse("2026-01-15T11:59:00.250Z").toEpochMilli();
    assertJson(
        postJson(
            "/api/v1/sensors/e-1/readings",
            "{\"readingId\":\"a\",\"timestamp\":" + ms + ",\"value\":1}"),
        202);
    assertEquals(
        List.of(new Reading("a", Instant.parse("2026-01-15T11:59:00.250Z"), 1.0)),
        gateway.stored("e-1"));
    // the same reading again, as RFC 3339: a duplicate, not a conflict
    assertEquals(
        1,
        assertJson(
                postJson(
                    "/api/v1/sensors/e-1/readings",
                    "{\"readingId\":\"a\",\"timestamp\":\"2026-01-15T11:59:00.250Z\",\"value\":1}"),
                202)
            .path("duplicates")
            .asInt());
    // the backfill horizon and the future skew apply as to any timestamp
    assertProblem(
        postJson("/api/v1/sensors/e-1/readings", "{\"timestamp\":-1,\"value\":1}"),
        422,
        "invalid-readings");
    assertProblem(
        postJson(
            "/api/v1/sensors/e-1/readings",
            "{\"timestamp\":" + (ms + 86_400_000L) + ",\"value\":1}"),
        422,
        "invalid-readings");
    assertProblem(
        postJson("/api/v1/sensors/e-1/readings", "{\"timestamp\":1.5,\"value\":1}"),
        400,
        "malformed-json");
    assertProblem(
        postJson(
            "/api/v1/sensors/e-1/readings", "{\"timestamp\":99999999999999999999999,\"value\":1}"),
        400,
        "malformed-json");
  }

  @Test
  void readings_export_as_csv_when_asked() {
    queries.series(
        new Series(
            "e-2",
            Step.RAW,
            T,
            T.plusSeconds(120),
            List.of(new Series.Point(T, 1.5), new Series.Point(T.plusSeconds(60), -2.0)),
            List.of(),
            false));
    Resp raw =
        send(
            request("/api/v1/sensors/e-2/readings?step=raw")
                .header("Accept", "text/csv")
                .GET()
                .build());
    assertEquals(200, raw.status(), raw::toString);
    assertTrue(raw.contentType().startsWith("text/csv"), raw.contentType());
    assertEquals(
        "timestamp,value\n2026-01-15T11:00:00Z,1.5\n2026-01-15T11:01:00Z,-2.0\n", raw.body());
    assertEquals("false", raw.header("X-Series-Truncated").orElse(""));

    queries.series(
        new Series(
            "e-2",
            Step.HOUR,
            T,
            T.plusSeconds(7200),
            List.of(),
            List.of(new Series.Bucket(T, 3, 1.0, 4.5, 2.25)),
            true));
    Resp buckets =
        send(
            request("/api/v1/sensors/e-2/readings?step=1h")
                .header("Accept", "text/csv")
                .GET()
                .build());
    assertEquals("start,count,min,max,avg\n2026-01-15T11:00:00Z,3,1.0,4.5,2.25\n", buckets.body());
    assertEquals("true", buckets.header("X-Series-Truncated").orElse(""));
    assertTrue(buckets.header("Content-Disposition").orElse("").contains("e-2-1h.csv"));

    assertJson(get("/api/v1/sensors/e-2/readings?step=1h"), 200); // JSON stays the default
  }
}
