package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Inputs that must never store anything invalid nor get a 5xx. */
class HostileInputTest extends ApiTestBase {

  @Test
  void duplicateMembersInReadingsBodiesAre400() {
    assertProblem(
        postJson("/api/v1/sensors/s-1/readings", "{\"value\":1,\"value\":2}"),
        400,
        "malformed-json");
    assertProblem(
        postJson("/api/v1/readings", "[{\"sensorId\":\"s-1\",\"sensorId\":\"s-2\",\"value\":1}]"),
        400,
        "malformed-json");
    JsonNode ndjson =
        assertProblem(
            post("/api/v1/readings", NDJSON, "{\"sensorId\":\"s-1\",\"value\":1,\"value\":2}\n"),
            422,
            "no-valid-readings");
    assertEquals(0, ndjson.path("rejected").get(0).path("index").asInt());
    assertEquals(0, gateway.totalStored());
  }

  /** Found by MetadataJsonPropertyTest: the metadata body was read up to its first value only. */
  @Test
  void contentAfterTheMetadataBodyIs400AndRegistersNothing() {
    for (String body :
        java.util.List.of(
            "{}}",
            "{\"name\":\"a\"} {\"name\":\"b\"}",
            "{\"name\":\"a\"}x",
            "{\"unit\":\"C\"}]",
            "{} null")) {
      assertProblem(putJson("/api/v1/sensors/s-1", body), 400, "malformed-json");
    }
    assertEquals(null, gateway.metadataOf("s-1"));
    assertJson(
        putJson("/api/v1/sensors/s-1", " {\"name\":\"a\"} \n"), 201); // whitespace after it is fine
  }

  @Test
  void batchBodiesUpToTheDocumentedLimitAreProcessed() throws Exception {
    java.net.URI server = startExtraServer(HttpSettings.defaults()); // 16 MiB, 10,000 items
    String pad = "x".repeat(50_000);
    StringBuilder big = new StringBuilder("[");
    for (int i = 0; i < 202; i++) {
      big.append(i == 0 ? "" : ",")
          .append("{\"sensorId\":\"s-1\",\"value\":")
          .append(i)
          .append(",\"note\":\"")
          .append(pad)
          .append("\"}");
    }
    String body = big.append("]").toString();
    assertEquals(true, body.length() > 9.6 * 1024 * 1024, "larger than 9.6 MiB");
    JsonNode ack = assertJson(send(postRequest(server, "/api/v1/readings", JSON, body)), 202);
    assertEquals(202, ack.path("accepted").asInt());

    // 12 MiB of small items: more items than one batch may hold
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; many.length() < 12 << 20; i++) {
      many.append(i == 0 ? "" : ",")
          .append("{\"sensorId\":\"s-2\",\"value\":")
          .append(i)
          .append('}');
    }
    assertProblem(
        send(postRequest(server, "/api/v1/readings", JSON, many.append("]").toString())),
        413,
        "too-many-items");

    // over 16 MiB
    String tooBig =
        "["
            + ("{\"sensorId\":\"s-3\",\"value\":1,\"note\":\"" + pad + "\"},").repeat(340)
            + "{\"sensorId\":\"s-3\",\"value\":1}]";
    assertProblem(
        send(postRequest(server, "/api/v1/readings", JSON, tooBig)), 413, "body-too-large");
    assertEquals(202, gateway.totalStored());
  }

  @Test
  void timestampsBeyondTheBackfillHorizonAre422PerItem() {
    JsonNode single =
        assertProblem(
            postJson(
                "/api/v1/sensors/s-1/readings",
                "{\"timestamp\":\"0000-01-01T00:00:00Z\",\"value\":1}"),
            422,
            "invalid-readings");
    assertEquals(0, single.path("errors").get(0).path("index").asInt());
    JsonNode batch =
        assertJson(
            postJson(
                "/api/v1/readings",
                "[{\"sensorId\":\"s-1\",\"value\":1},"
                    + "{\"sensorId\":\"s-1\",\"timestamp\":\"1970-01-01T00:00:00Z\",\"value\":2}]"),
            202);
    assertEquals(1, batch.path("accepted").asInt());
    assertEquals(1, batch.path("rejected").get(0).path("index").asInt());
    assertEquals(
        java.util.List.of(1.0), gateway.stored("s-1").stream().map(r -> r.value()).toList());
  }

  @Test
  void aReadingIdResentWithAnotherValueOrTimestampIs409SameReadingIs202() {
    String path = "/api/v1/sensors/s-1/readings";
    assertJson(
        postJson(
            path, "{\"readingId\":\"r-1\",\"timestamp\":\"2026-01-15T11:00:00Z\",\"value\":1}"),
        202);
    JsonNode same =
        assertJson(
            postJson(
                path, "{\"readingId\":\"r-1\",\"timestamp\":\"2026-01-15T11:00:00Z\",\"value\":1}"),
            202);
    assertEquals(1, same.path("duplicates").asInt());
    JsonNode value =
        assertProblem(
            postJson(
                path, "{\"readingId\":\"r-1\",\"timestamp\":\"2026-01-15T11:00:00Z\",\"value\":2}"),
            409,
            "reading-id-conflict");
    assertEquals(0, value.path("errors").get(0).path("index").asInt());
    assertProblem(
        postJson(
            path, "{\"readingId\":\"r-1\",\"timestamp\":\"2026-01-15T11:00:01Z\",\"value\":1}"),
        409,
        "reading-id-conflict");

    // in a batch: that item is rejected, the others are stored
    JsonNode batch =
        assertJson(
            postJson(
                "/api/v1/readings",
                "[{\"sensorId\":\"s-1\",\"readingId\":\"r-2\",\"value\":5},"
                    + "{\"sensorId\":\"s-1\",\"readingId\":\"r-1\",\"timestamp\":\"2026-01-15T11:00:00Z\",\"value\":3},"
                    + "{\"sensorId\":\"s-1\",\"readingId\":\"r-1\",\"timestamp\":\"2026-01-15T11:00:00Z\",\"value\":1}]"),
            202);
    assertEquals(1, batch.path("accepted").asInt());
    assertEquals(1, batch.path("duplicates").asInt());
    assertEquals(1, batch.path("rejected").size());
    assertEquals(1, batch.path("rejected").get(0).path("index").asInt());
    assertEquals(
        java.util.List.of(1.0, 5.0), gateway.stored("s-1").stream().map(r -> r.value()).toList());

    // without a timestamp (stamped with the receive time) only the value is compared
    assertJson(postJson(path, "{\"readingId\":\"r-3\",\"value\":7}"), 202);
    assertEquals(
        1,
        assertJson(postJson(path, "{\"readingId\":\"r-3\",\"value\":7}"), 202)
            .path("duplicates")
            .asInt());
    assertProblem(
        postJson(path, "{\"readingId\":\"r-3\",\"value\":8}"), 409, "reading-id-conflict");
  }
}
