package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.Reading;

/**
 * Properties of the whole route tree on a real server over the in-memory fakes ({@link
 * ApiTestBase}): whatever request {@link HostileRequests} makes (any route, path, query string,
 * Content-Type and body), the answer is never a 5xx, and a 4xx stores nothing: no readings beyond
 * those a partial-batch answer reports as accepted, no registration, no decommissioning, no
 * read-model rebuild or pause; and the write side is only ever asked to store readings the rules
 * allow. A 4xx to a request that reached the routes is a problem+json document (what the server
 * refuses before routing, such as a target over 2,048 characters, it answers in plain text).
 */
class RouteTreePropertyTest extends ApiTestBase {

  @Test
  void noRequestGetsA5xxOrStoresAnythingWithA4xx() {
    Map<String, Integer> answered = new TreeMap<>();
    Property.forAll(
        "no request gets a 5xx or stores anything with a 4xx",
        1_000,
        HostileRequests.requests(),
        HostileRequests.Request::shrink,
        req -> {
          resetFakes();
          queries.otherJournalHeads(0); // minSeq beyond a journal is 400 at once, as on a real node
          RawHttp.Answer a;
          try {
            a = send(req);
          } catch (IOException e) {
            if (req.body().length == 0) {
              throw e;
            }
            // A route that answers without reading a streamed body (an invalid id, 404, 405, 415)
            // makes the
            // server close the connection with the body unread; the client may then get a reset
            // instead of
            // the answer. Counted and shown, not failed; whatever it was, nothing may have been
            // stored.
            answered.merge("no answer (reset while sending the body)", 1, Integer::sum);
            assertNothingStored(
                0, "no answer to " + req.method() + " with a " + req.body().length + "-byte body");
            return;
          }
          answered.merge(
              a.status() + (a.status() < 300 && gateway.totalStored() > 0 ? " (stored)" : ""),
              1,
              Integer::sum);
          assertTrue(a.status() < 500, () -> "answered " + a);
          assertOnlyValidReadingsReachedTheGateway(a);
          // the server itself refuses what it cannot parse (a raw target, one over 2,048
          // characters) in plain text
          boolean routed = a.headers().containsKey(RequestIds.HEADER.toLowerCase(Locale.ROOT));
          if (req.encoded() && req.target().length <= 2_048) {
            assertTrue(routed, () -> "a well-formed request did not reach the routes: " + a);
          }
          if (a.status() >= 400) {
            assertNothingStored(a);
            if (routed && !req.method().equals("HEAD")) {
              assertEquals(
                  PROBLEM_JSON, a.mediaType(), () -> "a 4xx that is no problem document: " + a);
            }
          }
        });
    System.out.println("answers: " + answered);
  }

  /**
   * Well-formed requests go through the test's HttpClient (keep-alive), raw ones through {@link
   * RawHttp}.
   */
  private RawHttp.Answer send(HostileRequests.Request req) throws Exception {
    if (!req.encoded()) {
      return RawHttp.send(base, req.method(), req.target(), req.contentType(), req.body());
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(base + new String(req.target(), StandardCharsets.US_ASCII)))
            .timeout(Duration.ofSeconds(10))
            .method(
                req.method(),
                req.body().length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(req.body()));
    if (req.contentType() != null) {
      b.header("Content-Type", req.contentType());
    }
    HttpResponse<String> r =
        client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    Map<String, String> headers = new LinkedHashMap<>();
    r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
    return new RawHttp.Answer(r.statusCode(), headers, r.body());
  }

  /** Whatever the answer, the write side was only ever asked to store readings the rules allow. */
  private void assertOnlyValidReadingsReachedTheGateway(RawHttp.Answer a) {
    for (InMemoryGateway.Call call : gateway.calls()) {
      for (Reading reading : call.readings()) {
        assertTrue(
            !reading.timestamp().isBefore(NOW.minus(ReadingDocs.BACKFILL))
                && !reading.timestamp().isAfter(NOW.plus(ReadingDocs.SKEW)),
            () -> "stored " + reading + " with " + a);
        assertTrue(
            reading.readingId() == null || reading.readingId().matches("[\\x21-\\x7e]{1,128}"),
            () -> "stored " + reading + " with " + a);
      }
    }
  }

  private void assertNothingStored(RawHttp.Answer a) throws Exception {
    int reported = 0;
    if (a.mediaType().equals(PROBLEM_JSON)) {
      JsonNode body = MAPPER.readTree(a.body());
      reported =
          body.path("accepted")
              .asInt(0); // a batch cut short by a limit reports what it stored before
    }
    assertNothingStored(reported, a.toString());
  }

  /**
   * No readings but the {@code reported} ones, no registration, no decommissioning, no rebuild or
   * pause.
   */
  private void assertNothingStored(int reported, String answer) {
    assertEquals(reported, gateway.totalStored(), () -> "readings stored with " + answer);
    assertEquals(
        0, gateway.registryChanges(), () -> "sensors registered or decommissioned with " + answer);
    assertEquals(Set.of(), admin.rebuilding(), () -> "rebuild started with " + answer);
    assertEquals(Set.of(), admin.paused(), () -> "read model paused with " + answer);
  }
}
