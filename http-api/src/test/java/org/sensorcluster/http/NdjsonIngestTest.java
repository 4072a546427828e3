package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.ReadingRules;

/** {@code POST /api/v1/readings} with {@code application/x-ndjson}. */
class NdjsonIngestTest extends ApiTestBase {

  private static final String PATH = "/api/v1/readings";

  private static String lines(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> "{\"sensorId\":\"n-" + (i % 2) + "\",\"value\":" + i + "}\n")
        .collect(Collectors.joining());
  }

  @Test
  void blankLinesAreSkippedAndABrokenLineIsRejectedByItsIndex() {
    String body =
        "{\"sensorId\":\"n-1\",\"readingId\":\"a\",\"value\":1}\n"
            + "\n"
            + "{\"sensorId\":\"n-2\",\"value\":2}\n"
            + "{\"sensorId\":\"n-1\",\"value\": \n" // index 2: broken
            + "  \t \r\n"
            + "{\"sensorId\":\"n-1\",\"readingId\":\"b\",\"value\":3}\r\n"
            + "\n\n"
            + "{\"sensorId\":\"n-3\",\"value\":4}"; // no trailing newline

    JsonNode ack = assertJson(post(PATH, NDJSON, body), 202);
    assertEquals(4, ack.path("accepted").asInt());
    assertEquals(0, ack.path("duplicates").asInt());
    assertEquals(List.of(2), indices(ack.path("rejected")));
    assertTrue(
        ack.path("rejected").get(0).path("error").asText().contains("malformed JSON"),
        ack::toString);
    assertEquals(
        List.of("a", "b"), gateway.stored("n-1").stream().map(Reading::readingId).toList());
    assertEquals(1, gateway.stored("n-2").size());
    assertEquals(1, gateway.stored("n-3").size());
  }

  @Test
  void linesThatAreNotOneObjectAreRejected() {
    String body =
        """
        {"sensorId":"n-1","value":1}
        [{"sensorId":"n-1","value":2}]
        {"sensorId":"n-1","value":3} {"sensorId":"n-1","value":4}
        null
        {"sensorId":"n-1","value":"5"}
        {"sensorId":"n-1","value":6}
        """;
    JsonNode ack = assertJson(post(PATH, NDJSON, body), 202);
    assertEquals(2, ack.path("accepted").asInt());
    assertEquals(List.of(1, 2, 3, 4), indices(ack.path("rejected")));
    assertEquals(List.of(1.0, 6.0), gateway.stored("n-1").stream().map(Reading::value).toList());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/x-ndjson; charset=utf-8"
      })
  void ndjsonMediaTypesAreAccepted(String contentType) {
    JsonNode ack = assertJson(post(PATH, contentType, "{\"sensorId\":\"n-1\",\"value\":1}\n"), 202);
    assertEquals(1, ack.path("accepted").asInt());
  }

  @Test
  void duplicatesAcrossRequestsAreCounted() {
    String body =
        "{\"sensorId\":\"n-1\",\"readingId\":\"x\",\"value\":1}\n"
            + "{\"sensorId\":\"n-1\",\"readingId\":\"x\",\"value\":1}\n";
    JsonNode first = assertJson(post(PATH, NDJSON, body), 202);
    assertEquals(1, first.path("accepted").asInt());
    assertEquals(1, first.path("duplicates").asInt(), "the same id twice in one request");
    JsonNode second = assertJson(post(PATH, NDJSON, body), 202);
    assertEquals(0, second.path("accepted").asInt());
    assertEquals(2, second.path("duplicates").asInt());
  }

  @Test
  void allLinesInvalidIs422() {
    JsonNode problem =
        assertProblem(post(PATH, NDJSON, "{\"value\":1}\nnot json\n"), 422, "no-valid-readings");
    assertEquals(List.of(0, 1), indices(problem.path("rejected")));
    assertNothingReachedGateway();
  }

  @Test
  void onlyBlankLinesIs422() {
    assertProblem(post(PATH, NDJSON, "\n \n\r\n"), 422, "no-valid-readings");
    assertNothingReachedGateway();
  }

  @Test
  void exactlyTheItemLimitIsAccepted() {
    JsonNode ack = assertJson(post(PATH, NDJSON, lines(BATCH_MAX_ITEMS)), 202);
    assertEquals(BATCH_MAX_ITEMS, ack.path("accepted").asInt());
    assertEquals(BATCH_MAX_ITEMS, gateway.totalStored());
  }

  @Test
  void moreLinesThanTheItemLimitIs413() {
    JsonNode problem =
        assertProblem(post(PATH, NDJSON, lines(BATCH_MAX_ITEMS + 10)), 413, "too-many-items");
    // The partial report tells the client what was stored before the limit was hit.
    assertTrue(problem.path("accepted").isInt(), problem::toString);
    assertTrue(problem.path("unconfirmed").isArray(), problem::toString);
    assertTrue(problem.path("accepted").asInt() <= gateway.totalStored(), problem::toString);
  }

  @Test
  void bodyOverTheBatchLimitIs413() {
    String body =
        "{\"sensorId\":\"n-1\",\"value\":1}\n"
            + (" ".repeat(1000) + "\n").repeat(BATCH_MAX_BYTES / 1000 + 2);
    assertTrue(body.length() > BATCH_MAX_BYTES);
    assertProblem(post(PATH, NDJSON, body), 413, "body-too-large");
  }

  @Test
  void chunkedBodyIsStreamedAndStored() {
    // Pieces that cut lines (and one JSON token) in the middle; sent with chunked transfer
    // encoding.
    List<String> pieces =
        List.of(
            "{\"sensorId\":\"n-1\",\"readingId\":\"c0\",\"value\":0}\n{\"sensorId\":\"n-2\",",
            "\"readingId\":\"c1\",\"value\":1}\n\n{\"sensorId\":\"n-1\",\"readingId\":\"c2\",\"va",
            "lue\":2}\n{broken\n{\"sensorId\":\"n-1\",\"readingId\":\"c3\",\"value\":3.",
            "5}\n{\"sensorId\":\"n-2\",\"readingId\":\"c4\",\"value\":4}");
    HttpRequest request =
        request(PATH)
            .header("Content-Type", NDJSON)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SlowPieces(pieces)))
            .build();

    JsonNode ack = assertJson(send(request), 202);
    assertEquals(5, ack.path("accepted").asInt());
    assertEquals(List.of(3), indices(ack.path("rejected")));
    assertEquals(
        List.of(0.0, 2.0, 3.5), gateway.stored("n-1").stream().map(Reading::value).toList());
    assertEquals(List.of(1.0, 4.0), gateway.stored("n-2").stream().map(Reading::value).toList());
  }

  @Test
  void chunkedBodyOverTheBatchLimitIs413WithAPartialReport() {
    List<String> pieces = new java.util.ArrayList<>();
    pieces.add(lines(4));
    String blank = " ".repeat(8 * 1024 - 1) + "\n";
    for (int i = 0; i < BATCH_MAX_BYTES / blank.length() + 2; i++) {
      pieces.add(blank);
    }
    HttpRequest request =
        request(PATH)
            .header("Content-Type", NDJSON)
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () ->
                        new SequenceInputStream(
                            Collections.enumeration(
                                pieces.stream()
                                    .map(
                                        p ->
                                            (InputStream)
                                                new ByteArrayInputStream(
                                                    p.getBytes(StandardCharsets.UTF_8)))
                                    .toList()))))
            .build();

    JsonNode problem = assertProblem(send(request), 413, "body-too-large");
    assertTrue(problem.path("accepted").isInt(), problem::toString);
    assertTrue(problem.path("rejected").isArray(), problem::toString);
    assertTrue(problem.path("unconfirmed").isArray(), problem::toString);
  }

  @Test
  void lineLongerThan64KiBIs400() throws Exception {
    URI server =
        startExtraServer(
            new HttpSettings(
                SINGLE_MAX_BYTES,
                4L * BATCH_MAX_BYTES,
                BATCH_MAX_ITEMS,
                100,
                4,
                64,
                RETRY_AFTER,
                ReadingRules.DEFAULT_MAX_FUTURE_SKEW));
    String body = "{\"sensorId\":\"n-1\",\"value\":1,\"pad\":\"" + "x".repeat(70_000) + "\"}\n";
    assertProblem(send(postRequest(server, PATH, NDJSON, body)), 400, "malformed-ndjson");
    assertNothingReachedGateway();
  }

  /**
   * When an NDJSON stream fails part-way (here: more than batchMaxItems lines), the 413 partial
   * report must account for chunks whose record() was still in flight: the reply waits for them.
   * (This was a bug: they were dropped from the report while the gateway went on storing them.)
   */
  @Test
  void partialReportOfAFailedStreamAccountsForChunksStillInFlight() throws Exception {
    URI server =
        startExtraServer(
            new HttpSettings(
                SINGLE_MAX_BYTES,
                BATCH_MAX_BYTES,
                BATCH_MAX_ITEMS,
                1,
                4,
                64,
                RETRY_AFTER,
                ReadingRules.DEFAULT_MAX_FUTURE_SKEW));
    gateway.holdFor("slow");
    StringBuilder body =
        new StringBuilder("{\"sensorId\":\"slow\",\"readingId\":\"s0\",\"value\":0}\n");
    for (int i = 1; i <= BATCH_MAX_ITEMS; i++) { // one line too many: index BATCH_MAX_ITEMS
      body.append("{\"sensorId\":\"fast\",\"readingId\":\"f").append(i).append("\",\"value\":1}\n");
    }

    Thread releaser =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              gateway.release();
            });
    releaser.start();
    JsonNode problem =
        assertProblem(
            send(postRequest(server, PATH, NDJSON, body.toString())), 413, "too-many-items");
    releaser.join();

    List<Integer> unconfirmed = indices(problem.path("unconfirmed"));
    int reportedStored = problem.path("accepted").asInt();
    // Item 0 reached the gateway: it must be reported either as stored or as unconfirmed.
    assertTrue(
        unconfirmed.contains(0) || reportedStored == gateway.totalStored(),
        () -> "report " + problem + " but the gateway stored " + gateway.totalStored());
    assertEquals(
        BATCH_MAX_ITEMS,
        reportedStored,
        "every item read before the failure was stored and reported");
  }

  @Test
  void gatewayFailingForOneSensorIs503WithUnconfirmedIndices() {
    gateway.failFor("n-1");
    JsonNode problem =
        assertUnavailable(
            post(PATH, NDJSON, lines(6)), InMemoryGateway.UNAVAILABLE_RETRY_AFTER.toSeconds());
    assertEquals(List.of(1, 3, 5), indices(problem.path("unconfirmed")));
    assertEquals(3, problem.path("accepted").asInt());
    assertEquals(3, gateway.stored("n-0").size());
  }

  @Test
  void textPlainIs415() {
    assertProblem(
        post(PATH, "text/plain", "{\"sensorId\":\"n-1\",\"value\":1}\n"),
        415,
        "unsupported-media-type");
    assertNothingReachedGateway();
  }

  /**
   * Hands out one piece per read, pausing briefly before each, so the client sends several chunks.
   */
  private static final class SlowPieces extends InputStream {
    private final InputStream in;

    SlowPieces(List<String> pieces) {
      this.in =
          new SequenceInputStream(
              Collections.enumeration(
                  pieces.stream()
                      .map(
                          p ->
                              (InputStream)
                                  new ByteArrayInputStream(p.getBytes(StandardCharsets.UTF_8)))
                      .toList()));
    }

    @Override
    public int read() throws java.io.IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws java.io.IOException {
      try {
        Thread.sleep(30);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
      return in.read(b, off, len);
    }
  }
}
