package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.domain.auth.Role;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.AlertRaised;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorMetadataUpdated;

/**
 * The Server-Sent Event routes over {@link InMemoryLiveEvents} (whose streams end after their
 * events).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamRoutesTest extends ApiTestBase {

  private static final Instant T = Instant.parse("2026-01-15T11:00:00Z");
  private static final Thresholds LIMITS = new Thresholds(0.0, 30.0, 1.0);
  private static final SensorMetadata TEMP =
      new SensorMetadata("t", "temperature", "C", null, Map.of("site", "a"), LIMITS);
  private static final SensorMetadata HUMIDITY =
      new SensorMetadata("h", "humidity", "%", null, Map.of(), null);

  /** One parsed event: its fields (a comment line is none). */
  record Sse(String id, String event, JsonNode data) {}

  @BeforeEach
  void journal() {
    queries.journal(id -> id.equals("s-1") || id.equals("s-2"));
    live.append("s-1", TEMP, new SensorMetadataUpdated(TEMP, T)); // 1 (not shown)
    live.append(
        "s-1", TEMP, new ReadingsRecorded(List.of(new Reading("r1", T, 21.5)), T, "req")); // 2
    live.append("s-2", HUMIDITY, new ReadingsRecorded(List.of(new Reading(null, T, 40)), T)); // 3
    live.append(
        "s-1",
        TEMP,
        new AlertRaised(1, AlertBound.ABOVE_MAX, new Reading("r2", T, 31), LIMITS, T)); // 4
    live.append(
        "s-1",
        TEMP,
        new AlertCleared(1, AlertBound.ABOVE_MAX, new Reading("r3", T, 20), LIMITS, T)); // 5
    live.append("s-3", null, new ReadingsRecorded(List.of(new Reading(null, T, 1)), T)); // 6
  }

  @Test
  void fleetStreamIsAnEventStreamThatStartsWithItsPosition() {
    Resp r = get("/api/v1/stream");
    assertEquals(200, r.status(), r::toString);
    assertEquals("text/event-stream", mediaType(r));
    assertEquals("no-cache", r.header("Cache-Control").orElse(""));
    assertEquals(List.of(new Sse("6", "ready", MAPPER.createObjectNode())), events(r));
  }

  @Test
  void resumingReplaysWhatFollowsLastEventIdInTheApiShapes() {
    List<Sse> events = events(stream("/api/v1/stream", "1"));
    assertEquals(List.of("1", "2", "3", "4", "5", "6"), events.stream().map(Sse::id).toList());
    assertEquals(
        List.of("ready", "readings", "readings", "alert-raised", "alert-cleared", "readings"),
        events.stream().map(Sse::event).toList());
    JsonNode readings = events.get(1).data();
    assertEquals("s-1", readings.path("sensorId").asText());
    assertEquals(T.toString(), readings.path("recordedAt").asText());
    assertEquals("r1", readings.path("readings").path(0).path("readingId").asText());
    assertEquals(21.5, readings.path("readings").path(0).path("value").asDouble());
    assertFalse(events.get(2).data().path("readings").path(0).has("readingId"));
    JsonNode raised = events.get(3).data();
    assertEquals("open", raised.path("state").asText());
    assertEquals("ABOVE_MAX", raised.path("bound").asText());
    assertEquals(31.0, raised.path("raisedValue").asDouble());
    assertEquals(30.0, raised.path("thresholds").path("max").asDouble());
    JsonNode cleared = events.get(4).data();
    assertEquals("closed", cleared.path("state").asText());
    assertEquals(1, cleared.path("alertNumber").asLong());
    assertEquals(20.0, cleared.path("clearedValue").asDouble());
  }

  @Test
  void fleetFiltersByTypeAndLabel() {
    assertEquals(
        List.of("ready", "readings", "alert-raised", "alert-cleared"),
        types(stream("/api/v1/stream?type=temperature", "0")));
    assertEquals(List.of("3"), ids(stream("/api/v1/stream?type=humidity", "0")).subList(1, 2));
    assertEquals(4, ids(stream("/api/v1/stream?label=site", "0")).size());
    assertEquals(4, ids(stream("/api/v1/stream?label=site:a&type=temperature", "0")).size());
    assertEquals(1, ids(stream("/api/v1/stream?label=site:b", "0")).size());
    assertEquals(1, ids(stream("/api/v1/stream?label=other", "0")).size());
    assertEquals(1, ids(stream("/api/v1/stream?type=humidity&label=site", "0")).size());
  }

  @Test
  void alertStreamCarriesAlertsOnly() {
    assertEquals(
        List.of("ready", "alert-raised", "alert-cleared"),
        types(stream("/api/v1/alerts/stream", "0")));
  }

  @Test
  void sensorStreamCarriesOneSensorWithItsSequenceNumbers() {
    List<Sse> events = events(stream("/api/v1/sensors/s-1/stream", "1"));
    assertEquals(
        List.of("ready", "readings", "alert-raised", "alert-cleared"),
        events.stream().map(Sse::event).toList());
    assertEquals(List.of("1", "2", "3", "4"), events.stream().map(Sse::id).toList());
    // without Last-Event-ID: from now on; the start has no position
    assertEquals(
        List.of(new Sse(null, "ready", MAPPER.createObjectNode())),
        events(get("/api/v1/sensors/s-2/stream")));
  }

  @Test
  void badRequestsAreProblems() {
    assertProblem(stream("/api/v1/stream", "x"), 400, "invalid-last-event-id");
    assertProblem(stream("/api/v1/alerts/stream", "-1"), 400, "invalid-last-event-id");
    assertProblem(stream("/api/v1/sensors/s-1/stream", "1.5"), 400, "invalid-last-event-id");
    assertProblem(get("/api/v1/stream?type="), 400, "invalid-parameter");
    assertProblem(get("/api/v1/stream?label=:x"), 400, "invalid-parameter");
    assertProblem(get("/api/v1/alerts/stream?limit=1"), 400, "invalid-parameter");
    assertProblem(get("/api/v1/sensors/s-9/stream"), 404, "unknown-sensor");
    assertProblem(get("/api/v1/sensors/bad%20id/stream"), 400, "invalid-sensor-id");
    assertEquals(405, method("POST", "/api/v1/stream").status());
    assertEquals(405, method("POST", "/api/v1/sensors/s-1/stream").status());
  }

  @Test
  void streamsNeedTheReadPermission() {
    assertEquals(401, send(anonymous(base, "/api/v1/stream").GET().build()).status());
    String reader = tokens.issue(Role.READER, "");
    String device = tokens.issue(Role.DEVICE, "");
    for (String path :
        List.of("/api/v1/stream", "/api/v1/alerts/stream", "/api/v1/sensors/s-1/stream")) {
      assertEquals(
          200,
          send(anonymous(base, path).header("Authorization", "Bearer " + reader).GET().build())
              .status());
      assertEquals(
          403,
          send(anonymous(base, path).header("Authorization", "Bearer " + device).GET().build())
              .status());
    }
  }

  @Test
  void onlyShownEventsPassTheFilter() {
    assertTrue(StreamRoutes.matches(null, null, null));
    assertFalse(StreamRoutes.matches(null, "temperature", null));
    assertFalse(StreamEvents.shown(new SensorMetadataUpdated(TEMP, T)));
  }

  private Resp stream(String path, String lastEventId) {
    return send(request(path).header("Last-Event-ID", lastEventId).GET().build());
  }

  private static List<String> ids(Resp r) {
    return events(r).stream().map(Sse::id).toList();
  }

  private static List<String> types(Resp r) {
    return events(r).stream().map(Sse::event).toList();
  }

  /** The events of a whole {@code text/event-stream} body. */
  static List<Sse> events(Resp r) {
    assertEquals(200, r.status(), r::toString);
    List<Sse> out = new ArrayList<>();
    for (String block : r.body().split("\n\n")) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String line : block.split("\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          String value = line.substring(colon + 1);
          fields.put(line.substring(0, colon), value.startsWith(" ") ? value.substring(1) : value);
        }
      }
      if (fields.containsKey("data")) {
        try {
          out.add(
              new Sse(fields.get("id"), fields.get("event"), MAPPER.readTree(fields.get("data"))));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out;
  }
}
