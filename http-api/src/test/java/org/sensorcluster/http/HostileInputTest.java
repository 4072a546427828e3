package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Inputs that must never store anything invalid nor get a 5xx. */
class HostileInputTest extends ApiTestBase {

  @Test
  void duplicateMembersInReadingsBodiesAre400() {
    assertProblem(postJson("/api/v1/sensors/s-1/readings", "{\"value\":1,\"value\":2}"), 400, "malformed-json");
    assertProblem(postJson("/api/v1/readings", "[{\"sensorId\":\"s-1\",\"sensorId\":\"s-2\",\"value\":1}]"), 400,
        "malformed-json");
    JsonNode ndjson = assertProblem(post("/api/v1/readings", NDJSON,
        "{\"sensorId\":\"s-1\",\"value\":1,\"value\":2}\n"), 422, "no-valid-readings");
    assertEquals(0, ndjson.path("rejected").get(0).path("index").asInt());
    assertEquals(0, gateway.totalStored());
  }
}
