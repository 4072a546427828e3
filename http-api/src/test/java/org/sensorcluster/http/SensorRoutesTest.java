package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.Thresholds;

/** {@code PUT} / {@code DELETE /api/v1/sensors/{id}} and how readings are refused afterwards. */
class SensorRoutesTest extends ApiTestBase {

  private static final String FULL =
      """
      {"name":"Boiler room","type":"temperature","unit":"Cel",
       "location":{"lat":52.52,"lon":13.405},"labels":{"site":"berlin-1"},
       "thresholds":{"min":-10,"max":30,"hysteresis":0.5}}""";

  @Test
  void firstPutCreatesThenUpdates() {
    JsonNode created = assertJson(putJson("/api/v1/sensors/boiler-1", FULL), 201);
    assertEquals("boiler-1", created.path("sensorId").asText());
    assertEquals("Boiler room", created.path("metadata").path("name").asText());
    assertEquals(1, created.path("sequenceNr").asLong());
    SensorMetadata stored = gateway.metadataOf("boiler-1");
    assertEquals(new Thresholds(-10.0, 30.0, 0.5), stored.thresholds());
    assertEquals(Map.of("site", "berlin-1"), stored.labels());
    assertEquals(52.52, stored.location().lat());

    JsonNode updated =
        assertJson(putJson("/api/v1/sensors/boiler-1", "{\"name\":\"Boiler\"}"), 200);
    assertEquals("Boiler", updated.path("metadata").path("name").asText());
    assertNull(gateway.metadataOf("boiler-1").thresholds(), "a PUT replaces the whole metadata");
  }

  @Test
  void emptyObjectRegistersWithoutMetadata() {
    assertJson(putJson("/api/v1/sensors/bare", "{}"), 201);
    assertEquals(SensorMetadata.NONE, gateway.metadataOf("bare"));
  }

  @Test
  void ruleViolationsAre422() {
    for (String body :
        List.of(
            "{\"location\":{\"lat\":91,\"lon\":0}}",
            "{\"location\":{\"lat\":0,\"lon\":-180.5}}",
            "{\"location\":{\"lat\":0}}",
            "{\"thresholds\":{\"min\":5,\"max\":5}}",
            "{\"thresholds\":{\"min\":10,\"max\":0}}",
            "{\"thresholds\":{\"min\":0,\"max\":1,\"hysteresis\":-1}}",
            "{\"thresholds\":{\"min\":0,\"max\":1,\"hysteresis\":1}}",
            "{\"thresholds\":{}}",
            "{\"name\":\"\"}",
            "{\"name\":\"" + "n".repeat(257) + "\"}",
            "{\"type\":\"has space\"}",
            "{\"labels\":{\"bad key\":\"v\"}}",
            "{\"labels\":{\"k\":\"" + "v".repeat(257) + "\"}}",
            "{\"labels\":" + manyLabels(33) + "}")) {
      JsonNode p = assertProblem(putJson("/api/v1/sensors/s-1", body), 422, "invalid-metadata");
      assertFalse(p.path("detail").asText().isEmpty(), body);
    }
    assertNull(gateway.metadataOf("s-1"));
  }

  @Test
  void shapeErrorsAre400() {
    for (String body :
        List.of(
            "",
            "not json",
            "[]",
            "42",
            "{\"name\":1}",
            "{\"location\":[1,2]}",
            "{\"location\":{\"lat\":\"52\",\"lon\":1}}",
            "{\"labels\":{\"k\":1}}",
            "{\"thresholds\":{\"max\":\"high\"}}",
            "{\"colour\":\"red\"}",
            "{\"thresholds\":{\"max\":1,\"limit\":2}}")) {
      assertProblem(putJson("/api/v1/sensors/s-1", body), 400, "malformed-json");
    }
    assertNull(gateway.metadataOf("s-1"));
  }

  @Test
  void duplicateMembersAre400() {
    for (String body :
        List.of(
            "{\"name\":\"a\",\"name\":\"b\"}",
            "{\"thresholds\":{\"max\":30,\"max\":1000}}",
            "{\"labels\":{\"site\":\"a\",\"site\":\"b\"}}",
            "{\"location\":{\"lat\":1,\"lon\":2,\"lat\":3}}")) {
      assertProblem(putJson("/api/v1/sensors/s-1", body), 400, "malformed-json");
    }
    assertNull(gateway.metadataOf("s-1"));
  }

  @Test
  void wrongContentTypeIs415AndHugeBodyIs413AndBadIdIs400() {
    Resp r =
        send(
            request("/api/v1/sensors/s-1")
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("{}", StandardCharsets.UTF_8))
                .build());
    assertProblem(r, 415, "unsupported-media-type");
    String huge = "{\"name\":\"" + "x".repeat((int) SensorRoutes.MAX_METADATA_BYTES) + "\"}";
    assertProblem(putJson("/api/v1/sensors/s-1", huge), 413, "body-too-large");
    assertProblem(putJson("/api/v1/sensors/bad%20id", "{}"), 400, "invalid-sensor-id");
    assertProblem(delete("/api/v1/sensors/bad%20id"), 400, "invalid-sensor-id");
  }

  @Test
  void decommissionStopsReadingsAndMetadataButIsIdempotent() {
    assertJson(
        postJson(
            "/api/v1/sensors/d-1/readings",
            "{\"readingId\":\"a\",\"timestamp\":\"2026-01-15T11:00:00Z\",\"value\":1}"),
        202);
    JsonNode first = assertJson(delete("/api/v1/sensors/d-1"), 200);
    assertTrue(first.path("decommissioned").asBoolean());
    assertFalse(first.path("alreadyDecommissioned").asBoolean());
    JsonNode again = assertJson(delete("/api/v1/sensors/d-1"), 200);
    assertTrue(again.path("alreadyDecommissioned").asBoolean());

    JsonNode refused =
        assertProblem(
            postJson(
                "/api/v1/sensors/d-1/readings",
                "{\"readingId\":\"b\",\"timestamp\":\"2026-01-15T11:01:00Z\",\"value\":2}"),
            409,
            "sensor-decommissioned");
    assertTrue(refused.path("detail").asText().contains("d-1"));
    assertProblem(putJson("/api/v1/sensors/d-1", "{}"), 409, "sensor-decommissioned");
    assertEquals(1, gateway.stored("d-1").size(), "the history stays, nothing new is stored");
  }

  @Test
  void decommissioningAnUnknownSensorIs404() {
    assertProblem(delete("/api/v1/sensors/ghost"), 404, "unknown-sensor");
  }

  @Test
  void batchItemsOfDecommissionedSensorsAreRejectedOthersStored() {
    assertJson(putJson("/api/v1/sensors/gone", "{}"), 201);
    assertJson(delete("/api/v1/sensors/gone"), 200);
    JsonNode body =
        assertJson(
            postJson(
                "/api/v1/readings",
                """
        [{"sensorId":"gone","readingId":"1","timestamp":"2026-01-15T11:00:00Z","value":1},
         {"sensorId":"live","readingId":"2","timestamp":"2026-01-15T11:00:00Z","value":2},
         {"sensorId":"live","readingId":"3","timestamp":"2026-01-15T11:00:01Z","value":3}]"""),
            202);
    assertEquals(2, body.path("accepted").asInt());
    assertEquals(List.of(0), indices(body.path("rejected")));
    assertTrue(body.path("rejected").get(0).path("error").asText().contains("decommissioned"));
    assertEquals(
        1,
        body.path("sequenceNrs").path("live").asLong(),
        "both readings of 'live' went into one event");
    assertFalse(body.path("sequenceNrs").has("gone"));
  }

  @Test
  void withoutAutoRegistrationUnregisteredSensorsGet404() {
    gateway.autoRegister(false);
    assertProblem(
        postJson(
            "/api/v1/sensors/new-1/readings",
            "{\"timestamp\":\"2026-01-15T11:00:00Z\",\"value\":1}"),
        404,
        "sensor-not-registered");
    assertJson(putJson("/api/v1/sensors/new-1", "{\"type\":\"humidity\"}"), 201);
    JsonNode ack =
        assertJson(
            postJson(
                "/api/v1/sensors/new-1/readings",
                "{\"timestamp\":\"2026-01-15T11:00:00Z\",\"value\":1}"),
            202);
    assertEquals(1, ack.path("accepted").asInt());
    assertEquals(
        2, ack.path("sequenceNr").asLong(), "registration was event 1, the reading event 2");
  }

  @Test
  void journalFailureOnPutIs503() {
    gateway.mode(InMemoryGateway.Mode.UNAVAILABLE);
    assertUnavailable(
        putJson("/api/v1/sensors/s-9", "{}"), InMemoryGateway.UNAVAILABLE_RETRY_AFTER.toSeconds());
  }

  private static String manyLabels(int n) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    return b.append('}').toString();
  }
}
