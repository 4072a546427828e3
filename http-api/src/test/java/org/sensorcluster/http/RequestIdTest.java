package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * X-Request-Id: taken from the client when sane, generated otherwise, returned, passed to the
 * entity.
 */
class RequestIdTest extends ApiTestBase {

  private static final String SINGLE = "/api/v1/sensors/sensor-1/readings";

  private Resp postWithId(String path, String contentType, String body, String requestId) {
    return send(
        request(path)
            .header("Content-Type", contentType)
            .header(RequestIds.HEADER, requestId)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build());
  }

  @Test
  void clientIdIsReturnedAndReachesTheEntity() {
    Resp r = postWithId(SINGLE, JSON, "{\"value\": 1}", "device-7.boot:42_x");
    assertEquals(202, r.status());
    assertEquals(Optional.of("device-7.boot:42_x"), r.header(RequestIds.HEADER));
    assertEquals("device-7.boot:42_x", gateway.calls().get(0).requestId());
  }

  @Test
  void withoutHeaderAnIdIsGeneratedReturnedAndPassedOn() {
    Resp r = postJson(SINGLE, "{\"value\": 1}");
    assertEquals(202, r.status());
    String id = r.header(RequestIds.HEADER).orElseThrow();
    assertTrue(id.matches("[0-9a-f]{32}"), id);
    assertEquals(id, gateway.calls().get(0).requestId());
    String other = postJson(SINGLE, "{\"value\": 2}").header(RequestIds.HEADER).orElseThrow();
    assertNotEquals(id, other, "every request gets its own id");
  }

  @Test
  void everyChunkOfABatchCarriesTheRequestsId() {
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 20; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"sensorId\":\"s-")
          .append(i)
          .append("\",\"value\":")
          .append(i)
          .append('}');
    }
    Resp r = postWithId("/api/v1/readings", JSON, batch.append(']').toString(), "batch-1");
    assertEquals(202, r.status(), r.body());
    assertEquals(Optional.of("batch-1"), r.header(RequestIds.HEADER));
    Set<String> ids =
        gateway.calls().stream().map(InMemoryGateway.Call::requestId).collect(Collectors.toSet());
    assertEquals(20, gateway.calls().size());
    assertEquals(Set.of("batch-1"), ids);

    postWithId("/api/v1/readings", NDJSON, "{\"sensorId\":\"n-1\",\"value\":1}\n", "ndjson-1");
    assertEquals("ndjson-1", gateway.calls().get(gateway.calls().size() - 1).requestId());
  }

  @Test
  void insaneClientIdsAreReplaced() {
    for (String bad : new String[] {"has space", "a".repeat(129), "quote\"", "<script>"}) {
      Resp r = postWithId(SINGLE, JSON, "{\"value\": 1}", bad);
      String id = r.header(RequestIds.HEADER).orElseThrow();
      assertTrue(id.matches("[0-9a-f]{32}"), "for '" + bad + "' got " + id);
    }
    assertTrue(RequestIds.acceptable("a".repeat(128)));
    assertFalse(RequestIds.acceptable(""));
  }

  @Test
  void errorResponsesCarryTheIdToo() {
    Resp r =
        send(request("/api/v1/sensors/no%20such").header(RequestIds.HEADER, "err-1").GET().build());
    assertEquals(400, r.status());
    assertEquals(Optional.of("err-1"), r.header(RequestIds.HEADER));
    Resp unsupported = postWithId(SINGLE, "text/plain", "x", "err-2");
    assertEquals(415, unsupported.status());
    assertEquals(Optional.of("err-2"), unsupported.header(RequestIds.HEADER));
  }
}
