package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Routing errors (405, 404) and the in-flight limit of ingest requests. */
class ErrorHandlingTest extends ApiTestBase {

  @Test
  void getOnTheBatchEndpointIs405WithAllow() {
    Resp r = get("/api/v1/readings");
    assertProblem(r, 405, null);
    assertEquals(List.of("POST"), allowed(r));
  }

  @Test
  void patchOnASensorIs405WithAllow() {
    Resp r = method("PATCH", "/api/v1/sensors/x");
    assertProblem(r, 405, null);
    assertEquals(List.of("GET", "PUT", "DELETE"), allowed(r));
  }

  @Test
  void putOnTheReadingsOfASensorIs405WithAllow() {
    Resp r = method("PUT", "/api/v1/sensors/x/readings");
    assertProblem(r, 405, null);
    assertEquals(List.of("POST", "GET"), allowed(r));
    assertNothingReachedGateway();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "/nothing",
        "/ui",
        "/api",
        "/api/v1",
        "/api/v2/readings",
        "/api/v1/nothing",
        "/api/v1/sensors/x/other",
        "/api/v1/alerts/x",
        "/api/v1/admin",
        "/api/v1/admin/projections/x",
        "/api/v1/readings/extra"
      })
  void unknownPathIs404Problem(String path) {
    JsonNode problem = assertProblem(get(path), 404, null);
    assertEquals("Not Found", problem.path("title").asText());
  }

  private static List<String> allowed(Resp r) {
    String allow = r.header("Allow").orElseThrow(() -> new AssertionError("no Allow header: " + r));
    return List.of(allow.split("\\s*,\\s*"));
  }

  // ---- overload ------------------------------------------------------------------------------

  @Test
  void secondConcurrentIngestIs503WhileTheFirstIsInFlight() throws Exception {
    URI server = startExtraServer(SETTINGS.withMaxInFlightIngest(1));
    gateway.mode(InMemoryGateway.Mode.HOLD);

    CompletableFuture<Resp> first =
        sendAsync(
            postRequest(
                server, "/api/v1/sensors/o-1/readings", JSON, "{\"readingId\":\"1\",\"value\":1}"));
    gateway.awaitRecordCalls(1, java.time.Duration.ofSeconds(5));

    Resp single = send(postRequest(server, "/api/v1/sensors/o-2/readings", JSON, "{\"value\":2}"));
    JsonNode problem = assertUnavailable(single, RETRY_AFTER.toSeconds());
    assertTrue(problem.path("detail").asText().contains("too many"), problem::toString);
    assertUnavailable(
        send(postRequest(server, "/api/v1/readings", JSON, "[{\"sensorId\":\"o-2\",\"value\":2}]")),
        RETRY_AFTER.toSeconds());
    assertUnavailable(
        send(
            postRequest(
                server, "/api/v1/readings", NDJSON, "{\"sensorId\":\"o-2\",\"value\":2}\n")),
        RETRY_AFTER.toSeconds());
    assertEquals(1, gateway.recordCalls(), "the rejected requests never reached the gateway");
    // reads are not limited
    queries.put(new org.sensorcluster.domain.SensorSummary("o-9", 0, null, null, 0));
    assertJson(send(request(server, "/api/v1/sensors/o-9").GET().build()), 200);

    gateway.mode(InMemoryGateway.Mode.NORMAL);
    gateway.release();
    JsonNode ack = assertJson(first.get(5, TimeUnit.SECONDS), 202);
    assertEquals(1, ack.path("accepted").asInt());

    JsonNode again =
        assertJson(
            send(postRequest(server, "/api/v1/sensors/o-2/readings", JSON, "{\"value\":2}")), 202);
    assertEquals(1, again.path("accepted").asInt());
    assertEquals(1, gateway.stored("o-1").size());
    assertEquals(1, gateway.stored("o-2").size());
  }

  @Test
  void failedIngestRequestsReleaseTheirInFlightSlot() throws Exception {
    URI server = startExtraServer(SETTINGS.withMaxInFlightIngest(1));
    String path = "/api/v1/sensors/o-1/readings";

    assertProblem(send(postRequest(server, path, JSON, "{")), 400, "malformed-json");
    assertProblem(
        send(postRequest(server, path, JSON, "{\"value\":1e999}")), 422, "invalid-readings");
    assertProblem(
        send(postRequest(server, path, JSON, "{\"pad\":\"" + "x".repeat(SINGLE_MAX_BYTES) + "\"}")),
        413,
        "body-too-large");
    assertProblem(
        send(postRequest(server, "/api/v1/readings", NDJSON, lines(BATCH_MAX_ITEMS + 1))),
        413,
        "too-many-items");
    assertProblem(send(postRequest(server, "/api/v1/readings", JSON, "{}")), 400, "malformed-json");
    gateway.mode(InMemoryGateway.Mode.UNAVAILABLE);
    assertUnavailable(
        send(postRequest(server, path, JSON, "{\"value\":1}")),
        InMemoryGateway.UNAVAILABLE_RETRY_AFTER.toSeconds());
    gateway.mode(InMemoryGateway.Mode.TIMEOUT);
    assertUnavailable(
        send(postRequest(server, path, JSON, "{\"value\":1}")), RETRY_AFTER.toSeconds());
    gateway.mode(InMemoryGateway.Mode.NORMAL);

    assertJson(send(postRequest(server, path, JSON, "{\"value\":1}")), 202);
    assertJson(
        send(postRequest(server, "/api/v1/readings", JSON, "[{\"sensorId\":\"o-1\",\"value\":1}]")),
        202);
  }

  private static String lines(int n) {
    return "{\"sensorId\":\"o-1\",\"value\":1}\n".repeat(n);
  }
}
