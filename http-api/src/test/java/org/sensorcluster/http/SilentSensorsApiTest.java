package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.OpenAlert;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorWentSilent;
import org.sensorcluster.domain.view.FleetStats;
import org.sensorcluster.domain.view.SensorFilter;

/**
 * expectedInterval in the metadata, the silent flag, filter and count, and the SILENT alert on the
 * streams.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SilentSensorsApiTest extends ApiTestBase {

  private static final Instant T = Instant.parse("2026-01-15T11:00:00Z");

  @Test
  void expectedIntervalIsStoredAndShownAsAnIsoDuration() {
    JsonNode created =
        assertJson(putJson("/api/v1/sensors/q-1", "{\"expectedInterval\":\"PT5M\"}"), 201);
    assertEquals("PT5M", created.path("metadata").path("expectedInterval").asText());
    assertEquals(Duration.ofMinutes(5), gateway.metadataOf("q-1").expectedInterval());
    assertJson(putJson("/api/v1/sensors/q-1", "{\"expectedInterval\":null}"), 200);
    assertNull(gateway.metadataOf("q-1").expectedInterval());
  }

  @Test
  void badExpectedIntervalsAre422AndNonStrings400() {
    for (String bad : List.of("5m", "PT0S", "PT0.5S", "-PT5M", "P31D", "")) {
      assertProblem(
          putJson("/api/v1/sensors/q-2", "{\"expectedInterval\":\"" + bad + "\"}"),
          422,
          "invalid-metadata");
    }
    assertProblem(
        putJson("/api/v1/sensors/q-2", "{\"expectedInterval\":\"" + "P".repeat(60) + "\"}"),
        422,
        "invalid-metadata");
    assertProblem(
        putJson("/api/v1/sensors/q-2", "{\"expectedInterval\":300}"), 400, "malformed-json");
    assertEquals(0, gateway.calls().size(), () -> "nothing reaches a sensor: " + gateway.calls());
  }

  private static SensorSummary sensor(String id, Instant silentSince) {
    SensorMetadata m =
        new SensorMetadata(null, "temperature", null, null, Map.of(), null, Duration.ofSeconds(30));
    OpenAlert none = null;
    return new SensorSummary(id, 1, new Reading(null, T, 5), T, 2, m, none, null, silentSince);
  }

  @Test
  void theListShowsAndFiltersSilentSensors() {
    queries.put(sensor("a", T.plusSeconds(31)));
    queries.put(sensor("b", null));
    JsonNode all = assertJson(get("/api/v1/sensors"), 200).path("items");
    assertTrue(all.get(0).path("silent").asBoolean());
    assertEquals(T.plusSeconds(31).toString(), all.get(0).path("silentSince").asText());
    assertEquals("PT30S", all.get(0).path("expectedInterval").asText());
    assertFalse(all.get(1).path("silent").asBoolean());
    assertFalse(all.get(1).has("silentSince"));

    JsonNode silent = assertJson(get("/api/v1/sensors?silent=true"), 200).path("items");
    assertEquals(1, silent.size());
    assertEquals("a", silent.get(0).path("sensorId").asText());
    assertEquals(
        new SensorFilter(null, null, null, null, null, 100, true), queries.sensorFilters().get(1));
    assertEquals(
        "b",
        assertJson(get("/api/v1/sensors?silent=false"), 200)
            .path("items")
            .get(0)
            .path("sensorId")
            .asText());
    assertProblem(get("/api/v1/sensors?silent=maybe"), 400, "invalid-parameter");
  }

  @Test
  void statsCountSilentSensors() {
    queries.stats(new FleetStats(3, 0, Map.of("temperature", 3L), 1, 10, 600, NOW, 2));
    assertEquals(2, assertJson(get("/api/v1/stats"), 200).path("silent").asLong());
  }

  @Test
  void silenceIsAnAlertOnTheStreams() {
    queries.journal(id -> id.equals("q-3"));
    Reading last = new Reading("r1", T, 21.5);
    Reading back = new Reading("r2", T.plusSeconds(90), 22.0);
    live.append("q-3", null, new ReadingsRecorded(List.of(last), T));
    live.append(
        "q-3", null, new SensorWentSilent(1, last, T, Duration.ofSeconds(30), T.plusSeconds(31)));
    live.append("q-3", null, new ReadingsRecorded(List.of(back), T.plusSeconds(90)));
    live.append("q-3", null, new AlertCleared(1, AlertBound.SILENT, back, null, T.plusSeconds(90)));
    List<StreamRoutesTest.Sse> events =
        StreamRoutesTest.events(
            send(request("/api/v1/alerts/stream").header("Last-Event-ID", "0").GET().build()));
    assertEquals(
        List.of("ready", "alert-raised", "alert-cleared"),
        events.stream().map(StreamRoutesTest.Sse::event).toList());
    JsonNode raised = events.get(1).data();
    assertEquals("SILENT", raised.path("bound").asText());
    assertEquals("open", raised.path("state").asText());
    assertEquals(21.5, raised.path("raisedValue").asDouble());
    assertFalse(raised.has("thresholds"));
    assertEquals("SILENT", events.get(2).data().path("bound").asText());
    assertEquals(22.0, events.get(2).data().path("clearedValue").asDouble());
  }
}
