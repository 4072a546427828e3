package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sensorcluster.domain.Reading;

/** {@code POST /api/v1/readings} with an {@code application/json} array. */
class BatchIngestTest extends ApiTestBase {

  private static final String PATH = "/api/v1/readings";

  private static String items(int n, Function<Integer, String> item) {
    return IntStream.range(0, n).mapToObj(item::apply).collect(Collectors.joining(",", "[", "]"));
  }

  @Test
  void mixedValidAndInvalidItemsStoresTheValidOnesAndRejectsTheOthersByIndex() {
    Resp r =
        postJson(
            PATH,
            """
        [
          {"sensorId":"s-a","readingId":"a1","value":1},
          {"readingId":"no-sensor","value":2},
          {"sensorId":"s-b","readingId":"b1","value":3},
          {"sensorId":"s-a","value":"x"},
          {"sensorId":"bad id","value":5},
          {"sensorId":"s-a","readingId":"a2","timestamp":"2026-01-15T11:00:00Z","value":6},
          {"sensorId":"s-b","value":1e999},
          7,
          {"sensorId":"s-b","timestamp":"2026-01-15T12:06:00Z","value":9}
        ]""");

    JsonNode body = assertJson(r, 202);
    assertEquals(3, body.path("accepted").asInt());
    assertEquals(0, body.path("duplicates").asInt());
    assertEquals(List.of(1, 3, 4, 6, 7, 8), indices(body.path("rejected")));
    JsonNode rejected = body.path("rejected");
    assertTrue(
        rejected.get(0).path("error").asText().contains("sensorId is required"),
        rejected::toString);
    assertTrue(
        rejected.get(1).path("error").asText().contains("value must be a number"),
        rejected::toString);
    assertTrue(rejected.get(2).path("error").asText().contains("sensorId"), rejected::toString);
    assertTrue(rejected.get(3).path("error").asText().contains("finite"), rejected::toString);
    assertTrue(rejected.get(5).path("error").asText().contains("future"), rejected::toString);

    assertEquals(
        List.of(
            new Reading("a1", NOW, 1), new Reading("a2", Instant.parse("2026-01-15T11:00:00Z"), 6)),
        gateway.stored("s-a"));
    assertEquals(List.of(new Reading("b1", NOW, 3)), gateway.stored("s-b"));
    assertEquals(3, gateway.totalStored());
  }

  @Test
  void readingsOfOneSensorReachTheGatewayInOneCall() {
    Resp r =
        postJson(
            PATH,
            """
        [{"sensorId":"s-a","value":1},{"sensorId":"s-b","value":2},{"sensorId":"s-a","value":3},
         {"sensorId":"s-c","value":4},{"sensorId":"s-b","value":5},{"sensorId":"s-a","value":6}]""");

    JsonNode body = assertJson(r, 202);
    assertEquals(6, body.path("accepted").asInt());
    assertEquals(0, body.path("rejected").size());
    assertEquals(3, gateway.recordCalls(), () -> "calls: " + gateway.calls());
    Map<String, List<Double>> valuesPerCall =
        gateway.calls().stream()
            .collect(
                Collectors.toMap(
                    c -> c.sensor().value(),
                    c -> c.readings().stream().map(Reading::value).toList()));
    assertEquals(
        Map.of("s-a", List.of(1.0, 3.0, 6.0), "s-b", List.of(2.0, 5.0), "s-c", List.of(4.0)),
        valuesPerCall);
  }

  @Test
  void resendingABatchCountsDuplicates() {
    String batch =
        """
        [{"sensorId":"s-a","readingId":"1","value":1},{"sensorId":"s-b","readingId":"1","value":2},
         {"sensorId":"s-a","value":3}]""";
    JsonNode first = assertJson(postJson(PATH, batch), 202);
    assertEquals(3, first.path("accepted").asInt());

    JsonNode second = assertJson(postJson(PATH, batch), 202);
    assertEquals(1, second.path("accepted").asInt(), "the reading without id is stored again");
    assertEquals(2, second.path("duplicates").asInt());
    assertEquals(0, second.path("rejected").size());
  }

  @Test
  void onlyDuplicatesIsStill202() {
    String batch = "[{\"sensorId\":\"s-a\",\"readingId\":\"1\",\"value\":1}]";
    assertJson(postJson(PATH, batch), 202);
    JsonNode again = assertJson(postJson(PATH, batch), 202);
    assertEquals(0, again.path("accepted").asInt());
    assertEquals(1, again.path("duplicates").asInt());
  }

  @Test
  void timestampAbsentMeansClockTime() {
    assertJson(postJson(PATH, "[{\"sensorId\":\"s-a\",\"value\":1}]"), 202);
    Reading stored = gateway.stored("s-a").get(0);
    assertEquals(NOW, stored.timestamp());
    assertNull(stored.readingId());
  }

  @Test
  void allItemsInvalidIs422WithTheRejectedList() {
    JsonNode problem =
        assertProblem(
            postJson(
                PATH,
                """
        [{"value":1},{"sensorId":"s-a"},{"sensorId":"s-a","value":"1"}]"""),
            422,
            "no-valid-readings");
    assertEquals(List.of(0, 1, 2), indices(problem.path("rejected")));
    assertNothingReachedGateway();
  }

  @Test
  void emptyArrayIs422() {
    JsonNode problem = assertProblem(postJson(PATH, "[]"), 422, "no-valid-readings");
    assertEquals(0, problem.path("rejected").size());
    assertNothingReachedGateway();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "{\"sensorId\":\"s-a\",\"value\":1}", // an object, not an array
        "  {\"sensorId\":\"s-a\",\"value\":1}",
        "[{\"sensorId\":\"s-a\",\"value\":1}", // truncated
        "[{\"sensorId\":\"s-a\",\"value\":1},]",
        "[1 2]",
        "42",
        "",
        "[{\"sensorId\":\"s-a\",\"value\":1}] []"
      })
  void malformedBodyIs400(String body) {
    assertProblem(postJson(PATH, body), 400, "malformed-json");
    assertNothingReachedGateway();
  }

  @Test
  void exactlyTheItemLimitIsAccepted() {
    JsonNode body =
        assertJson(
            postJson(
                PATH,
                items(
                    BATCH_MAX_ITEMS,
                    i -> "{\"sensorId\":\"s-" + (i % 3) + "\",\"value\":" + i + "}")),
            202);
    assertEquals(BATCH_MAX_ITEMS, body.path("accepted").asInt());
    assertEquals(BATCH_MAX_ITEMS, gateway.totalStored());
    assertEquals(3, gateway.recordCalls());
  }

  @Test
  void moreItemsThanTheLimitIs413AndStoresNothing() {
    assertProblem(
        postJson(
            PATH, items(BATCH_MAX_ITEMS + 1, i -> "{\"sensorId\":\"s-a\",\"value\":" + i + "}")),
        413,
        "too-many-items");
    assertNothingReachedGateway();
  }

  @Test
  void bodyOverTheBatchLimitIs413AndStoresNothing() {
    String body = "[{\"sensorId\":\"s-a\",\"value\":1}" + " ".repeat(BATCH_MAX_BYTES) + "]";
    assertProblem(postJson(PATH, body), 413, "body-too-large");
    assertNothingReachedGateway();
  }

  @Test
  void gatewayFailingForOneSensorIs503ListingThatSensorsItemsAsUnconfirmed() {
    gateway.failFor("s-down");

    Resp r =
        postJson(
            PATH,
            """
        [{"sensorId":"s-up","readingId":"1","value":1},
         {"sensorId":"s-down","readingId":"1","value":2},
         {"sensorId":"s-up","readingId":"2","value":3},
         {"sensorId":"s-down","readingId":"2","value":4},
         {"sensorId":"s-up","value":"bad"}]""");

    JsonNode problem = assertUnavailable(r, InMemoryGateway.UNAVAILABLE_RETRY_AFTER.toSeconds());
    assertEquals(2, problem.path("accepted").asInt());
    assertEquals(0, problem.path("duplicates").asInt());
    assertEquals(List.of(4), indices(problem.path("rejected")));
    assertEquals(List.of(1, 3), indices(problem.path("unconfirmed")));
    assertEquals(2, gateway.stored("s-up").size());
    assertEquals(0, gateway.stored("s-down").size());
  }

  @Test
  void gatewayUnavailableForAllIs503() {
    gateway.mode(InMemoryGateway.Mode.UNAVAILABLE);
    JsonNode problem =
        assertUnavailable(
            postJson(
                PATH,
                """
        [{"sensorId":"s-a","value":1},{"sensorId":"s-b","value":2}]"""),
            InMemoryGateway.UNAVAILABLE_RETRY_AFTER.toSeconds());
    assertEquals(0, problem.path("accepted").asInt());
    assertEquals(List.of(0, 1), indices(problem.path("unconfirmed")));
  }

  @Test
  void gatewayTimeoutIs503WithTheDefaultRetryAfter() {
    gateway.mode(InMemoryGateway.Mode.TIMEOUT);
    JsonNode problem =
        assertUnavailable(
            postJson(PATH, "[{\"sensorId\":\"s-a\",\"value\":1}]"), RETRY_AFTER.toSeconds());
    assertEquals(List.of(0), indices(problem.path("unconfirmed")));
    assertEquals(0, gateway.totalStored());
  }

  @Test
  void textPlainIs415() {
    assertProblem(
        post(PATH, "text/plain", "[{\"sensorId\":\"s-a\",\"value\":1}]"),
        415,
        "unsupported-media-type");
    assertNothingReachedGateway();
  }

  @Test
  void missingContentTypeIs415() {
    assertProblem(
        post(PATH, null, "[{\"sensorId\":\"s-a\",\"value\":1}]"), 415, "unsupported-media-type");
    assertNothingReachedGateway();
  }
}
