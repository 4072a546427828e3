package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorSummary;

/** {@code GET /api/v1/sensors/{id}}. */
class SensorQueryTest extends ApiTestBase {

  private static final Instant MEASURED = Instant.parse("2026-01-15T11:58:30Z");
  private static final Instant RECORDED = Instant.parse("2026-01-15T11:58:31Z");

  @Test
  void knownSensorIsAnsweredFromTheReadModel() {
    queries.put(new SensorSummary("q-1", 3, new Reading("r-3", MEASURED, 21.5), RECORDED, 7));

    JsonNode body = assertJson(get("/api/v1/sensors/q-1"), 200);
    assertEquals("q-1", body.path("sensorId").asText());
    assertEquals(3, body.path("readingCount").asLong());
    JsonNode last = body.path("lastReading");
    assertEquals("r-3", last.path("readingId").asText());
    assertEquals(MEASURED, Instant.parse(last.path("timestamp").asText()));
    assertEquals(21.5, last.path("value").asDouble());
    assertEquals(RECORDED, Instant.parse(body.path("lastUpdated").asText()));
    assertEquals(7, body.path("sequenceNr").asLong());
    assertEquals("eventual", body.path("consistency").asText());
    assertEquals(List.of("q-1"), queries.asked());
    assertEquals(List.of(), gateway.summariesAsked());
  }

  @Test
  void explicitEventualConsistencyIsTheDefault() {
    queries.put(new SensorSummary("q-1", 1, new Reading(null, MEASURED, 1), RECORDED, 1));

    JsonNode body = assertJson(get("/api/v1/sensors/q-1?consistency=eventual"), 200);
    assertEquals("eventual", body.path("consistency").asText());
    assertFalse(
        body.path("lastReading").has("readingId"), "a reading without id has no readingId member");
    assertEquals(List.of("q-1"), queries.asked());
  }

  @Test
  void unknownSensorIs404() {
    JsonNode problem = assertProblem(get("/api/v1/sensors/nobody"), 404, "unknown-sensor");
    assertTrue(problem.path("detail").asText().contains("nobody"), problem::toString);
  }

  @Test
  void strongConsistencyIsAnsweredByTheEntity() {
    // Known to the entity (written through the API), not yet to the read model.
    assertJson(
        postJson(
            "/api/v1/sensors/q-2/readings",
            """
        [{"readingId":"a","timestamp":"2026-01-15T11:00:00Z","value":1},
         {"readingId":"b","timestamp":"2026-01-15T11:30:00Z","value":2}]"""),
        202);
    assertProblem(get("/api/v1/sensors/q-2"), 404, "unknown-sensor");

    JsonNode body = assertJson(get("/api/v1/sensors/q-2?consistency=strong"), 200);
    assertEquals("q-2", body.path("sensorId").asText());
    assertEquals(2, body.path("readingCount").asLong());
    assertEquals("b", body.path("lastReading").path("readingId").asText());
    assertEquals("2026-01-15T11:30:00Z", body.path("lastReading").path("timestamp").asText());
    assertEquals(2.0, body.path("lastReading").path("value").asDouble());
    assertEquals("strong", body.path("consistency").asText());
    assertEquals(List.of("q-2"), gateway.summariesAsked());
    assertEquals(List.of("q-2"), queries.asked(), "only the eventual request asked the read model");
  }

  @Test
  void strongConsistencyForASensorWithoutReadingsIs404WithoutStartingItsEntity() {
    assertProblem(get("/api/v1/sensors/q-3?consistency=strong"), 404, "unknown-sensor");
    assertEquals(List.of("q-3"), queries.journalAsked(), "the journal was asked");
    assertEquals(List.of(), gateway.summariesAsked(), "the entity was not");
  }

  @Test
  void bogusConsistencyIs400() {
    assertProblem(get("/api/v1/sensors/q-1?consistency=bogus"), 400, "invalid-parameter");
    assertProblem(get("/api/v1/sensors/q-1?consistency="), 400, "invalid-parameter");
    assertEquals(List.of(), queries.asked());
    assertEquals(List.of(), gateway.summariesAsked());
  }

  @Test
  void invalidSensorIdIs400() {
    assertProblem(get("/api/v1/sensors/bad%20id"), 400, "invalid-sensor-id");
    assertEquals(List.of(), queries.asked());
  }

  @Test
  void readSideUnavailableIs503WithRetryAfter() {
    queries.failing(true);
    assertUnavailable(
        get("/api/v1/sensors/q-1"), InMemoryQueries.UNAVAILABLE_RETRY_AFTER.toSeconds());
  }

  @Test
  void entityUnavailableForStrongReadIs503WithRetryAfter() {
    assertEquals(202, postJson("/api/v1/sensors/q-1/readings", "{\"value\":1}").status());
    gateway.summaryFails(true);
    assertUnavailable(
        get("/api/v1/sensors/q-1?consistency=strong"),
        InMemoryGateway.UNAVAILABLE_RETRY_AFTER.toSeconds());
  }
}
