package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Admission control: with sensors.http.max-writes-in-flight sensor writes waiting for the journal, a
 * request that needs more is refused at once with 503 + Retry-After, and nothing of it is written.
 */
class WriteAdmissionTest extends ApiTestBase {

  private static String batch(String prefix, int sensors) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < sensors; i++) {
      b.append(i == 0 ? "" : ",").append("{\"sensorId\":\"").append(prefix).append(i).append("\",\"value\":1}");
    }
    return b.append(']').toString();
  }

  @Test
  void requestsBeyondTheWriteCapacityAre503AtOnceAndWriteNothing() throws Exception {
    URI server = startExtraServer(SETTINGS.withMaxWritesInFlight(3));
    gateway.mode(InMemoryGateway.Mode.HOLD);
    CompletableFuture<Resp> first = sendAsync(postRequest(server, "/api/v1/readings", JSON, batch("held-", 3)));
    gateway.awaitRecordCalls(3, Duration.ofSeconds(5));

    long t0 = System.nanoTime();
    Resp refused = send(postRequest(server, "/api/v1/readings", JSON, batch("more-", 2)));
    long refusedMs = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(503, refused.status(), refused.body());
    assertTrue(refused.header("Retry-After").isPresent(), "Retry-After on the 503");
    assertTrue(refused.body().contains("write capacity"), refused.body());
    assertEquals(0, refused.json().path("accepted").asInt(), refused.body());
    Resp single = send(postRequest(server, "/api/v1/sensors/one/readings", JSON, "{\"value\":1}"));
    assertEquals(503, single.status(), single.body());
    assertEquals(3, gateway.recordCalls(), "refused requests must not reach the entities");
    assertTrue(refusedMs < 2_000, "refused at once, not after a timeout: " + refusedMs + " ms");

    gateway.mode(InMemoryGateway.Mode.NORMAL);
    gateway.release();
    assertEquals(202, first.get(10, TimeUnit.SECONDS).status());
    // the permits came back: the same requests now go through
    assertEquals(202, send(postRequest(server, "/api/v1/readings", JSON, batch("more-", 2))).status());
    assertEquals(202, send(postRequest(server, "/api/v1/sensors/one/readings", JSON, "{\"value\":1}")).status());
  }

  @Test
  void aRequestLargerThanTheLimitStillRunsOnAnIdleNode() {
    URI server;
    try {
      server = startExtraServer(SETTINGS.withMaxWritesInFlight(2));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    Resp r = send(postRequest(server, "/api/v1/readings", JSON, batch("big-", 5)));
    assertEquals(202, r.status(), r.body());
    assertEquals(5, r.json().path("accepted").asInt());
  }

  @Test
  void permitsAreCountedAndReturned() {
    WritePermits p = new WritePermits(10);
    assertTrue(p.tryAcquire(6));
    assertTrue(p.tryAcquire(4));
    assertTrue(!p.tryAcquire(1));
    p.release(4);
    assertTrue(p.tryAcquire(3));
    assertEquals(9, p.inFlight());
  }
}
