package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.OpenAlert;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.domain.view.AlertFilter;
import org.sensorcluster.domain.view.AlertView;
import org.sensorcluster.domain.view.FleetStats;
import org.sensorcluster.domain.view.ModelLag;
import org.sensorcluster.domain.view.SensorFilter;
import org.sensorcluster.domain.view.Series;
import org.sensorcluster.domain.view.Step;

/**
 * The dashboard queries: sensor list, readings, alerts, stats, read-your-writes and lag headers.
 */
class QueryRoutesTest extends ApiTestBase {

  private static final Instant T = Instant.parse("2026-01-15T11:00:00Z");
  private static final Thresholds LIMITS = new Thresholds(0.0, 10.0, 1.0);

  private static SensorSummary sensor(
      String id, String type, Map<String, String> labels, boolean alerting) {
    SensorMetadata m = new SensorMetadata(null, type, null, null, labels, LIMITS);
    OpenAlert a =
        alerting
            ? new OpenAlert(1, AlertBound.ABOVE_MAX, new Reading(null, T, 11), LIMITS, T)
            : null;
    return new SensorSummary(id, 1, new Reading(null, T, alerting ? 11 : 5), T, 2, m, a, null);
  }

  // ---- sensors ------------------------------------------------------------------------------

  @Test
  void listPagesThroughEverySensorOnceWithCursors() {
    for (int i = 0; i < 7; i++) {
      queries.put(sensor("s-" + i, "temperature", Map.of(), false));
    }
    List<String> seen = new ArrayList<>();
    String path = "/api/v1/sensors?limit=3";
    int pages = 0;
    while (path != null) {
      JsonNode body = assertJson(get(path), 200);
      body.path("items").forEach(i -> seen.add(i.path("sensorId").asText()));
      pages++;
      path =
          body.has("nextCursor")
              ? "/api/v1/sensors?limit=3&cursor=" + body.path("nextCursor").asText()
              : null;
    }
    assertEquals(List.of("s-0", "s-1", "s-2", "s-3", "s-4", "s-5", "s-6"), seen);
    assertEquals(3, pages);
    assertEquals("s-2", queries.sensorFilters().get(1).afterSensorId());
  }

  @Test
  void listFiltersArePassedThroughAndApplied() {
    queries.put(sensor("a", "temperature", Map.of("site", "b1"), true));
    queries.put(sensor("b", "humidity", Map.of("site", "b1"), false));
    queries.put(sensor("c", "temperature", Map.of("site", "b2"), false));

    JsonNode body =
        assertJson(get("/api/v1/sensors?type=temperature&label=site:b1&alerting=true"), 200);
    assertEquals(1, body.path("items").size());
    JsonNode a = body.path("items").get(0);
    assertEquals("a", a.path("sensorId").asText());
    assertTrue(a.path("alerting").asBoolean());
    assertEquals("ABOVE_MAX", a.path("openAlert").path("bound").asText());
    assertEquals(10.0, a.path("thresholds").path("max").asDouble());
    assertEquals(
        new SensorFilter("temperature", "site", "b1", true, null, 100),
        queries.sensorFilters().get(0));

    assertEquals(3, assertJson(get("/api/v1/sensors?label=site"), 200).path("items").size());
    assertEquals(
        new SensorFilter(null, "site", null, null, null, 100), queries.sensorFilters().get(1));
  }

  @Test
  void badListParametersAre400() {
    for (String q :
        List.of(
            "limit=0",
            "limit=1001",
            "limit=ten",
            "alerting=yes",
            "cursor=abc",
            "cursor=",
            "labelx=1",
            "type=",
            "label=:v",
            "minSeq=s-1",
            "minSeq=s-1:-3",
            "minSeq=bad%20id:1")) {
      assertProblem(get("/api/v1/sensors?" + q), 400, "invalid-parameter");
    }
  }

  @Test
  void forgedAndForeignCursorsAre400() {
    for (int i = 0; i < 3; i++) {
      queries.put(sensor("s-" + i, null, Map.of(), false));
    }
    String cursor = assertJson(get("/api/v1/sensors?limit=1"), 200).path("nextCursor").asText();
    assertJson(get("/api/v1/sensors?limit=1&cursor=" + cursor), 200);
    // flip one character of the payload: the signature no longer fits
    char c = cursor.charAt(2);
    String forged = cursor.substring(0, 2) + (c == 'A' ? 'B' : 'A') + cursor.substring(3);
    assertProblem(get("/api/v1/sensors?cursor=" + forged), 400, "invalid-parameter");
    // a cursor of the sensor list is no cursor of the alert list
    assertProblem(get("/api/v1/alerts?cursor=" + cursor), 400, "invalid-parameter");
    // a well-formed cursor signed with another secret
    String foreign = new CursorCodec("other-secret").encode("sensors", List.of("s-0"));
    assertProblem(get("/api/v1/sensors?cursor=" + foreign), 400, "invalid-parameter");
  }

  @Test
  void correctlySignedCursorsWithHostileKeysAre400() {
    // signed with the server's own secret, as anyone can who knows a public default secret
    CursorCodec sameSecret = new CursorCodec("test-secret");
    java.util.Arrays.asList(
            null,
            List.of(1),
            List.of(List.of("s-1")),
            List.of(Map.of("a", 1)),
            List.of(true),
            List.of("bad id"),
            List.of("s-1\u0000"),
            java.util.Arrays.asList((Object) null))
        .forEach(
            keys ->
                assertProblem(
                    get("/api/v1/sensors?cursor=" + sameSecret.encode("sensors", keys)),
                    400,
                    "invalid-parameter"));
    for (List<?> keys :
        List.of(
            List.of(1, "s-1", 1),
            List.of("2026-01-01T00:00:00Z", 7, 1),
            List.of("2026-01-01T00:00:00Z", "s-1", 1.5),
            List.of("2026-01-01T00:00:00Z", "s-1", "1"),
            List.of("yesterday", "s-1", 1),
            List.of("2026-01-01T00:00:00Z", "bad id", 1),
            List.of("2026-01-01T00:00:00Z", "s-1", List.of()))) {
      assertProblem(
          get("/api/v1/alerts?cursor=" + sameSecret.encode("alerts", keys)),
          400,
          "invalid-parameter");
    }
    assertJson(
        get(
            "/api/v1/alerts?cursor="
                + sameSecret.encode("alerts", List.of("2026-01-01T00:00:00Z", "s-1", 1))),
        200);
  }

  // ---- readings -----------------------------------------------------------------------------

  @Test
  void readingsParametersArePassedThrough() {
    queries.series(
        new Series(
            "r-1",
            Step.MINUTE,
            T,
            T.plusSeconds(120),
            List.of(),
            List.of(
                new Series.Bucket(T, 3, 1, 5, 3), new Series.Bucket(T.plusSeconds(60), 1, 2, 2, 2)),
            false));
    JsonNode body =
        assertJson(
            get(
                "/api/v1/sensors/r-1/readings?from=2026-01-15T11:00:00Z"
                    + "&to=2026-01-15T13:00:00%2B01:00&step=1m&maxPoints=20"),
            200);
    assertEquals("1m", body.path("step").asText());
    assertEquals(2, body.path("buckets").size());
    assertEquals(3, body.path("buckets").get(0).path("count").asLong());
    assertEquals(3.0, body.path("buckets").get(0).path("avg").asDouble());
    assertFalse(body.has("points"));
    InMemoryQueries.ReadingsCall call = queries.readingsCalls().get(0);
    assertEquals(
        new InMemoryQueries.ReadingsCall(
            "r-1", T, Instant.parse("2026-01-15T12:00:00Z"), Step.MINUTE, 20),
        call);
  }

  @Test
  void autoStepAnsweredFromRollupsCarriesTheRollupsLagOnly() {
    queries.series(
        new Series(
            "r-1",
            Step.HOUR,
            T,
            T.plusSeconds(7200),
            List.of(),
            List.of(new Series.Bucket(T, 3, 1, 5, 3)),
            false));
    queries.lag(new ModelLag(SensorQueries.READINGS, 5, 50, 0));
    queries.lag(new ModelLag(SensorQueries.ROLLUPS, 7, 70, 0));
    Resp r = get("/api/v1/sensors/r-1/readings?step=auto");
    assertJson(r, 200);
    assertEquals(List.of("rollups"), r.headers().allValues("X-Read-Model"));
    assertEquals(List.of("70"), r.headers().allValues("X-Read-Model-Lag-Ms"));
    assertEquals(List.of("7"), r.headers().allValues("X-Read-Model-Lag-Events"));
  }

  @Test
  void readingsDefaultToTheLastDayWithAutoStep() {
    assertJson(get("/api/v1/sensors/r-1/readings"), 200);
    InMemoryQueries.ReadingsCall call = queries.readingsCalls().get(0);
    assertEquals(NOW, call.to());
    assertEquals(NOW.minus(Duration.ofHours(24)), call.from());
    assertNull(call.step(), "auto");
    assertEquals(500, call.maxPoints());
  }

  @Test
  void rawPointsAreServed() {
    queries.series(
        new Series(
            "r-1",
            Step.RAW,
            T,
            T.plusSeconds(10),
            List.of(new Series.Point(T, 1.5)),
            List.of(),
            true));
    JsonNode body = assertJson(get("/api/v1/sensors/r-1/readings?step=raw"), 200);
    assertEquals("raw", body.path("step").asText());
    assertEquals(1.5, body.path("points").get(0).path("value").asDouble());
    assertTrue(body.path("truncated").asBoolean());
  }

  @Test
  void badReadingsParametersAre400() {
    for (String q :
        List.of(
            "from=yesterday",
            "to=2026-01-15",
            "from=2026-01-15T12:00:00Z&to=2026-01-15T11:00:00Z",
            "from=2026-01-15T11:00:00Z&to=2026-01-15T11:00:00Z",
            "step=5m",
            "maxPoints=0",
            "maxPoints=10001",
            "from=2026-01-15T11:00:00 01:00",
            "steps=raw")) {
      assertProblem(
          get("/api/v1/sensors/r-1/readings?" + q.replace(" ", "%20")), 400, "invalid-parameter");
    }
    assertProblem(get("/api/v1/sensors/bad%20id/readings"), 400, "invalid-sensor-id");
    assertEquals(List.of(), queries.readingsCalls());
  }

  // ---- alerts -------------------------------------------------------------------------------

  private static AlertView alert(String sensor, long n, Instant raised, boolean open) {
    return new AlertView(
        sensor,
        n,
        AlertBound.BELOW_MIN,
        raised,
        -1,
        raised.minusSeconds(1),
        LIMITS,
        open ? null : raised.plusSeconds(30),
        open ? null : 2.0);
  }

  @Test
  void alertsAreListedNewestFirstWithStateFilterAndCursor() {
    queries.putAlert(alert("a", 1, T, false));
    queries.putAlert(alert("a", 2, T.plusSeconds(60), true));
    queries.putAlert(alert("b", 1, T.plusSeconds(60), false));
    queries.putAlert(alert("c", 1, T.plusSeconds(120), true));

    JsonNode first = assertJson(get("/api/v1/alerts?limit=2"), 200);
    assertEquals("c", first.path("items").get(0).path("sensorId").asText());
    assertEquals("open", first.path("items").get(0).path("state").asText());
    assertEquals("a", first.path("items").get(1).path("sensorId").asText());
    JsonNode second =
        assertJson(get("/api/v1/alerts?limit=2&cursor=" + first.path("nextCursor").asText()), 200);
    assertEquals(2, second.path("items").size());
    assertEquals("b", second.path("items").get(0).path("sensorId").asText());
    assertEquals("closed", second.path("items").get(1).path("state").asText());
    assertEquals(2.0, second.path("items").get(1).path("clearedValue").asDouble());
    assertFalse(second.has("nextCursor"));
    assertEquals(
        new AlertFilter.AlertKey(T.plusSeconds(60), "a", 2), queries.alertFilters().get(1).after());

    JsonNode open = assertJson(get("/api/v1/alerts?state=open&sensorId=a"), 200);
    assertEquals(1, open.path("items").size());
    assertEquals(new AlertFilter(true, "a", null, 100), queries.alertFilters().get(2));
  }

  @Test
  void badAlertParametersAre400() {
    for (String q : List.of("state=active", "limit=-1", "sensorId=bad%20id", "cursor=%21%21")) {
      assertProblem(get("/api/v1/alerts?" + q), 400, "invalid-parameter");
    }
  }

  // ---- stats, lag, read-your-writes ---------------------------------------------------------

  @Test
  void statsAreServedWithLagHeaders() {
    queries.stats(new FleetStats(3, 1, Map.of("temperature", 2L, "", 1L), 1, 10, 600, NOW));
    queries.lag(new ModelLag(SensorQueries.SENSOR_LATEST, 12, 340, 100));
    Resp r = get("/api/v1/stats");
    JsonNode body = assertJson(r, 200);
    assertEquals(3, body.path("sensors").asLong());
    assertEquals(2, body.path("sensorsByType").path("temperature").asLong());
    assertEquals(600, body.path("readingsLastHour").asLong());
    assertEquals(Optional.of("sensor_latest"), r.header("X-Read-Model"));
    assertEquals(Optional.of("340"), r.header("X-Read-Model-Lag-Ms"));
    assertEquals(Optional.of("12"), r.header("X-Read-Model-Lag-Events"));
  }

  @Test
  void minSeqWaitsUntilTheModelAppliedTheWrite() throws Exception {
    queries.put(sensor("w-1", null, Map.of(), false));
    CompletableFuture<Resp> pending =
        sendAsync(request("/api/v1/sensors/w-1?minSeq=w-1:5").GET().build());
    Thread.sleep(100);
    assertFalse(pending.isDone(), "must wait while the model is behind");
    queries.applied(SensorQueries.SENSOR_LATEST, "w-1", 5);
    assertJson(pending.get(5, TimeUnit.SECONDS), 200);
  }

  @Test
  void minSeqNotReachedInTimeIs503WithRetryAfter() {
    queries.applied(SensorQueries.READINGS, "w-1", 9);
    JsonNode p =
        assertUnavailable(
            get("/api/v1/sensors/w-1/readings?step=auto&minSeq=w-1:9"), RETRY_AFTER.toSeconds());
    assertEquals("rollups", p.path("readModel").asText(), "auto must also wait for the rollups");
    assertTrue(p.path("detail").asText().contains("w-1:9"));
    assertEquals(
        List.of(), queries.readingsCalls(), "the query is not run before the model caught up");

    queries.applied(SensorQueries.ROLLUPS, "w-1", 9);
    assertJson(get("/api/v1/sensors/w-1/readings?step=auto&minSeq=w-1:9"), 200);
  }

  @Test
  void minSeqBeyondTheJournalHeadIs400AtOnce() {
    queries.journalHead("w-1", 3);
    for (String path :
        List.of(
            "/api/v1/sensors/w-1?minSeq=w-1:4",
            "/api/v1/sensors/w-1/readings?minSeq=w-1:99",
            "/api/v1/stats?minSeq=w-1:4",
            "/api/v1/alerts?minSeq=w-1:4",
            "/api/v1/sensors?minSeq=w-1:4")) {
      JsonNode p = assertProblem(get(path), 400, "invalid-parameter");
      assertTrue(p.path("detail").asText().contains("minSeq"), p.toString());
    }
    assertEquals(List.of(), queries.readingsCalls());
  }

  @Test
  void readModelDownIs503() {
    queries.failing(true);
    assertUnavailable(get("/api/v1/sensors"), InMemoryQueries.UNAVAILABLE_RETRY_AFTER.toSeconds());
    assertUnavailable(get("/api/v1/alerts"), InMemoryQueries.UNAVAILABLE_RETRY_AFTER.toSeconds());
    assertUnavailable(get("/api/v1/stats"), InMemoryQueries.UNAVAILABLE_RETRY_AFTER.toSeconds());
    assertUnavailable(
        get("/api/v1/sensors/x/readings"), InMemoryQueries.UNAVAILABLE_RETRY_AFTER.toSeconds());
  }
}
