package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sensorcluster.domain.Reading;

/** {@code POST /api/v1/sensors/{id}/readings}. */
class SingleSensorIngestTest extends ApiTestBase {

  private static final String PATH = "/api/v1/sensors/sensor-1/readings";

  // ---- accepted ------------------------------------------------------------------------------

  @Test
  void singleObjectIsAcceptedAndStored() {
    Resp r =
        postJson(
            PATH,
            """
        {"readingId":"r-1","timestamp":"2026-01-15T11:59:00Z","value":21.5}""");

    JsonNode body = assertJson(r, 202);
    assertEquals(1, body.path("accepted").asInt());
    assertEquals(0, body.path("duplicates").asInt());
    assertEquals(List.of("sensor-1"), gateway.sensorsAsked());
    assertEquals(
        List.of(new Reading("r-1", Instant.parse("2026-01-15T11:59:00Z"), 21.5)),
        gateway.stored("sensor-1"));
  }

  @Test
  void arrayIsAcceptedInOneGatewayCall() {
    Resp r =
        postJson(
            PATH,
            """
        [{"readingId":"a","value":1},{"readingId":"b","value":2.5},{"readingId":"c","value":-3}]""");

    JsonNode body = assertJson(r, 202);
    assertEquals(3, body.path("accepted").asInt());
    assertEquals(0, body.path("duplicates").asInt());
    assertEquals(1, gateway.recordCalls());
    assertEquals(
        List.of(1.0, 2.5, -3.0), gateway.stored("sensor-1").stream().map(Reading::value).toList());
  }

  @Test
  void sameReadingIdAgainIsCountedAsDuplicate() {
    assertJson(postJson(PATH, "{\"readingId\":\"r-1\",\"value\":1}"), 202);

    JsonNode again = assertJson(postJson(PATH, "{\"readingId\":\"r-1\",\"value\":1}"), 202);
    assertEquals(0, again.path("accepted").asInt());
    assertEquals(1, again.path("duplicates").asInt());

    JsonNode mixed =
        assertJson(
            postJson(
                PATH, "[{\"readingId\":\"r-1\",\"value\":1},{\"readingId\":\"r-2\",\"value\":2}]"),
            202);
    assertEquals(1, mixed.path("accepted").asInt());
    assertEquals(1, mixed.path("duplicates").asInt());
    assertEquals(2, gateway.stored("sensor-1").size());
  }

  @Test
  void readingIdAndTimestampAreOptionalAndTheClockTimeIsUsed() {
    JsonNode body = assertJson(postJson(PATH, "{\"value\":7}"), 202);

    assertEquals(1, body.path("accepted").asInt());
    List<Reading> stored = gateway.stored("sensor-1");
    assertEquals(1, stored.size());
    assertNull(stored.get(0).readingId());
    assertEquals(NOW, stored.get(0).timestamp());
    assertEquals(7.0, stored.get(0).value());
  }

  @Test
  void readingsWithoutIdAreNeverDuplicates() {
    assertJson(postJson(PATH, "{\"value\":7}"), 202);
    JsonNode body = assertJson(postJson(PATH, "{\"value\":7}"), 202);
    assertEquals(1, body.path("accepted").asInt());
    assertEquals(0, body.path("duplicates").asInt());
    assertEquals(2, gateway.stored("sensor-1").size());
  }

  @Test
  void timestampWithOffsetAndWithinTheFutureSkewIsAccepted() {
    assertJson(
        postJson(
            PATH,
            """
        [{"timestamp":"2026-01-15T13:04:00+01:00","value":1},{"timestamp":"2026-01-15T12:05:00Z","value":2}]"""),
        202);

    assertEquals(
        List.of(Instant.parse("2026-01-15T12:04:00Z"), Instant.parse("2026-01-15T12:05:00Z")),
        gateway.stored("sensor-1").stream().map(Reading::timestamp).toList());
  }

  @Test
  void sensorIdInBodyEqualToThePathIsAccepted() {
    assertJson(postJson(PATH, "{\"sensorId\":\"sensor-1\",\"value\":1}"), 202);
    assertEquals(1, gateway.stored("sensor-1").size());
  }

  @Test
  void readingIdOf128CharactersIsAccepted() {
    String id = "r".repeat(128);
    assertJson(postJson(PATH, "{\"readingId\":\"" + id + "\",\"value\":1}"), 202);
    assertEquals(id, gateway.stored("sensor-1").get(0).readingId());
  }

  @Test
  void jsonWithCharsetParameterIsAccepted() {
    assertJson(post(PATH, "application/json; charset=utf-8", "{\"value\":1}"), 202);
    assertEquals(1, gateway.stored("sensor-1").size());
  }

  @Test
  void unknownFieldsAreIgnored() {
    assertJson(postJson(PATH, "{\"value\":1,\"unit\":\"C\",\"meta\":{\"a\":[1,2]}}"), 202);
    assertEquals(1, gateway.stored("sensor-1").size());
  }

  @Test
  void bodyJustUnderTheLimitIsAccepted() {
    String prefix = "{\"value\":1,\"pad\":\"";
    String body = prefix + "x".repeat(SINGLE_MAX_BYTES - prefix.length() - 2) + "\"}";
    assertEquals(SINGLE_MAX_BYTES, body.length());
    assertJson(postJson(PATH, body), 202);
  }

  // ---- 400 -----------------------------------------------------------------------------------

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "{\"value\":", // truncated
        "{value: 1}", // not JSON
        "", // empty body
        "   ", // blank body
        "{\"value\":\"x\"}", // wrong type of value
        "{\"readingId\":5,\"value\":1}", // wrong type of readingId
        "[{\"value\":1},\"x\"]", // item that is not an object
        "42", // top-level number
        "\"text\"", // top-level string
        "null", // top-level null
        "{\"value\":1}{\"value\":2}", // two documents
        "{\"value\":1,\"value\":2}", // duplicate key
      })
  void malformedBodyIs400AndStoresNothing(String body) {
    JsonNode problem = assertProblem(postJson(PATH, body), 400, "malformed-json");
    assertNothingReachedGateway();
    if (body.contains("\"x\"") || body.contains("\"readingId\":5")) {
      assertTrue(problem.path("errors").isArray(), problem::toString);
    }
  }

  @Test
  void stringValueNamesTheOffendingItem() {
    JsonNode problem =
        assertProblem(postJson(PATH, "[{\"value\":1},{\"value\":\"x\"}]"), 400, "malformed-json");
    assertEquals(List.of(1), indices(problem.path("errors")));
    assertTrue(
        problem.path("errors").get(0).path("error").asText().contains("value"), problem::toString);
    assertNothingReachedGateway();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"bad%20id", "bad%2Fid", "bad!id", "%C3%A9t%C3%A9"})
  void invalidSensorIdInPathIs400(String sensorId) {
    assertProblem(
        postJson("/api/v1/sensors/" + sensorId + "/readings", "{\"value\":1}"),
        400,
        "invalid-sensor-id");
    assertNothingReachedGateway();
  }

  @Test
  void sensorIdLongerThan128CharactersIs400() {
    assertProblem(
        postJson("/api/v1/sensors/" + "s".repeat(129) + "/readings", "{\"value\":1}"),
        400,
        "invalid-sensor-id");
    assertNothingReachedGateway();
  }

  // ---- 422 -----------------------------------------------------------------------------------

  static Stream<Arguments> invalidReadings() {
    return Stream.of(
        Arguments.of("{\"value\":1e999}", "finite"),
        Arguments.of("{\"value\":-1e999}", "finite"),
        Arguments.of("{\"readingId\":\"r-1\"}", "value is required"),
        Arguments.of("{\"value\":null}", "value is required"),
        Arguments.of("{\"timestamp\":\"2026-01-15T12:05:01Z\",\"value\":1}", "future"),
        Arguments.of("{\"timestamp\":\"2027-01-01T00:00:00Z\",\"value\":1}", "future"),
        Arguments.of("{\"timestamp\":\"yesterday\",\"value\":1}", "RFC 3339"),
        Arguments.of("{\"timestamp\":\"2026-01-15T11:00:00\",\"value\":1}", "RFC 3339"),
        Arguments.of("{\"timestamp\":\"2026-01-15 11:00:00Z\",\"value\":1}", "RFC 3339"),
        Arguments.of("{\"readingId\":\"" + "r".repeat(129) + "\",\"value\":1}", "at most 128"),
        Arguments.of("{\"readingId\":\"\",\"value\":1}", "empty"),
        Arguments.of("{\"readingId\":\"has space\",\"value\":1}", "printable ASCII"),
        Arguments.of("{\"sensorId\":\"sensor-2\",\"value\":1}", "differs"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("invalidReadings")
  void invalidReadingIs422AndStoresNothing(String body, String expectedError) {
    JsonNode problem = assertProblem(postJson(PATH, body), 422, "invalid-readings");
    assertEquals(List.of(0), indices(problem.path("errors")));
    String error = problem.path("errors").get(0).path("error").asText();
    assertTrue(
        error.contains(expectedError),
        () -> "'" + error + "' should contain '" + expectedError + "'");
    assertNothingReachedGateway();
  }

  @Test
  void oneInvalidItemRejectsTheWholeRequest() {
    JsonNode problem =
        assertProblem(
            postJson(
                PATH,
                """
        [{"readingId":"a","value":1},{"readingId":"b","value":1e999},{"readingId":"c","value":3},{"value":null}]"""),
            422,
            "invalid-readings");
    assertEquals(List.of(1, 3), indices(problem.path("errors")));
    assertNothingReachedGateway();
  }

  @Test
  void emptyArrayIs422() {
    assertProblem(postJson(PATH, "[]"), 422, "no-valid-readings");
    assertNothingReachedGateway();
  }

  // ---- 413 -----------------------------------------------------------------------------------

  @Test
  void bodyOverTheSingleLimitIs413() {
    String body = "{\"value\":1,\"pad\":\"" + "x".repeat(SINGLE_MAX_BYTES) + "\"}";
    assertProblem(postJson(PATH, body), 413, "body-too-large");
    assertNothingReachedGateway();
  }

  @Test
  void chunkedBodyOverTheSingleLimitIs413() {
    byte[] body =
        ("{\"value\":1,\"pad\":\"" + "x".repeat(3 * SINGLE_MAX_BYTES) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        request(PATH)
            .header("Content-Type", JSON)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();
    assertProblem(send(request), 413, "body-too-large");
    assertNothingReachedGateway();
  }

  @Test
  void moreItemsThanTheBatchLimitIs413() {
    String body =
        IntStream.range(0, BATCH_MAX_ITEMS + 1)
            .mapToObj(i -> "{\"value\":1}")
            .collect(Collectors.joining(",", "[", "]"));
    assertTrue(body.length() < SINGLE_MAX_BYTES);
    assertProblem(postJson(PATH, body), 413, "too-many-items");
    assertNothingReachedGateway();
  }

  // ---- 415 -----------------------------------------------------------------------------------

  @Test
  void textPlainIs415() {
    JsonNode problem =
        assertProblem(post(PATH, "text/plain", "{\"value\":1}"), 415, "unsupported-media-type");
    assertTrue(problem.path("detail").asText().contains("text/plain"), problem::toString);
    assertNothingReachedGateway();
  }

  @Test
  void missingContentTypeIs415() {
    assertProblem(post(PATH, null, "{\"value\":1}"), 415, "unsupported-media-type");
    assertNothingReachedGateway();
  }

  @Test
  void ndjsonIsNotTakenByTheSingleSensorEndpoint() {
    assertProblem(post(PATH, NDJSON, "{\"value\":1}\n"), 415, "unsupported-media-type");
    assertNothingReachedGateway();
  }

  // ---- 503 -----------------------------------------------------------------------------------

  @Test
  void gatewayUnavailableIs503WithRetryAfter() {
    gateway.mode(InMemoryGateway.Mode.UNAVAILABLE);

    JsonNode problem =
        assertUnavailable(
            postJson(PATH, "{\"readingId\":\"r-1\",\"value\":1}"),
            InMemoryGateway.UNAVAILABLE_RETRY_AFTER.toSeconds());
    assertTrue(problem.path("detail").asText().contains("journal unavailable"), problem::toString);
    assertEquals(1, gateway.recordCalls());
    assertEquals(0, gateway.totalStored());
  }

  @Test
  void gatewayTimeoutIs503WithRetryAfter() {
    gateway.mode(InMemoryGateway.Mode.TIMEOUT);

    assertUnavailable(
        postJson(PATH, "{\"readingId\":\"r-1\",\"value\":1}"), RETRY_AFTER.toSeconds());
    assertEquals(1, gateway.recordCalls());
    assertEquals(0, gateway.totalStored());
  }

  @Test
  void retryAfterAnUnavailableGatewayIsAcceptedOnceItRecovers() {
    gateway.mode(InMemoryGateway.Mode.UNAVAILABLE);
    assertUnavailable(
        postJson(PATH, "{\"readingId\":\"r-1\",\"value\":1}"),
        InMemoryGateway.UNAVAILABLE_RETRY_AFTER.toSeconds());

    gateway.mode(InMemoryGateway.Mode.NORMAL);
    JsonNode body = assertJson(postJson(PATH, "{\"readingId\":\"r-1\",\"value\":1}"), 202);
    assertEquals(1, body.path("accepted").asInt());
  }
}
