package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * While the node shuts down, a request is answered at once with 503 + Retry-After (problem {@code
 * shutting-down}) and every answer, also one to a request that was in flight, closes its
 * connection, so clients move to another node.
 */
class ShutdownDrainTest extends ApiTestBase {

  @Test
  void aRequestArrivingWhileTheNodeShutsDownIs503AndClosesTheConnection() {
    draining.set(true);
    Resp r = postJson("/api/v1/sensors/s-a/readings", "{\"value\":1}");
    JsonNode problem = assertProblem(r, 503, "shutting-down");
    assertTrue(problem.path("detail").asText().contains("another node"), r.body());
    assertEquals("0", r.header("Retry-After").orElse("(none)"), "resend at once, to another node");
    assertEquals("close", r.header("Connection").orElse("(none)"));
    assertEquals(0, gateway.recordCalls(), "nothing reaches the sensors while draining");
    assertEquals(503, get("/api/v1/sensors").status(), "queries too");
  }

  @Test
  void aRequestInFlightWhenTheShutdownStartsIsAnsweredAndItsConnectionClosed() throws Exception {
    gateway.mode(InMemoryGateway.Mode.HOLD);
    CompletableFuture<Resp> inFlight =
        sendAsync(postRequest(base, "/api/v1/sensors/s-a/readings", JSON, "{\"value\":1}"));
    gateway.awaitRecordCalls(1, Duration.ofSeconds(5));
    draining.set(true);
    gateway.mode(InMemoryGateway.Mode.NORMAL);
    gateway.release();
    Resp r = inFlight.get(10, TimeUnit.SECONDS);
    assertEquals(202, r.status(), r.body());
    assertEquals(
        "close",
        r.header("Connection").orElse("(none)"),
        "the in-flight request's connection is closed");
  }

  @Test
  void normallyNoRequestIsRefused() {
    Resp r = postJson("/api/v1/sensors/s-a/readings", "{\"value\":1}");
    assertEquals(202, r.status());
    assertTrue(r.header("Connection").isEmpty(), "keep-alive");
  }
}
