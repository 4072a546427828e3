package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.ReadingRules;

/**
 * Admission control: with sensors.http.max-writes-in-flight sensor writes waiting for the journal,
 * a request that needs more is refused at once with 503 + Retry-After, and nothing of it is
 * written.
 */
class WriteAdmissionTest extends ApiTestBase {

  private static String batch(String prefix, int sensors) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < sensors; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"sensorId\":\"")
          .append(prefix)
          .append(i)
          .append("\",\"value\":1}");
    }
    return b.append(']').toString();
  }

  @Test
  void requestsBeyondTheWriteCapacityAre503AtOnceAndWriteNothing() throws Exception {
    URI server = startExtraServer(SETTINGS.withMaxWritesInFlight(3));
    gateway.mode(InMemoryGateway.Mode.HOLD);
    CompletableFuture<Resp> first =
        sendAsync(postRequest(server, "/api/v1/readings", JSON, batch("held-", 3)));
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
    assertEquals(
        202, send(postRequest(server, "/api/v1/readings", JSON, batch("more-", 2))).status());
    assertEquals(
        202,
        send(postRequest(server, "/api/v1/sensors/one/readings", JSON, "{\"value\":1}")).status());
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
  void aBatchIsNotRefusedBecauseOfItsOwnChunksButOthersStillAre() throws Exception {
    // 40 sensors = 4 chunks of 10 writes, all in flight at once; the node takes 15
    URI server =
        startExtraServer(
            new HttpSettings(
                SINGLE_MAX_BYTES,
                BATCH_MAX_BYTES,
                BATCH_MAX_ITEMS,
                10,
                4,
                64,
                RETRY_AFTER,
                ReadingRules.DEFAULT_MAX_FUTURE_SKEW,
                15));
    gateway.mode(InMemoryGateway.Mode.HOLD);
    CompletableFuture<Resp> big =
        sendAsync(postRequest(server, "/api/v1/readings", JSON, batch("own-", 40)));
    gateway.awaitRecordCalls(40, Duration.ofSeconds(10));
    Resp other = send(postRequest(server, "/api/v1/readings", JSON, batch("other-", 1)));
    assertEquals(
        503, other.status(), "another request still sees the node at capacity: " + other.body());
    gateway.mode(InMemoryGateway.Mode.NORMAL);
    gateway.release();
    Resp r = big.get(10, TimeUnit.SECONDS);
    assertEquals(202, r.status(), r.body());
    assertEquals(40, r.json().path("accepted").asInt(), r.body());
  }

  @Test
  void ownWritesDoNotCountAgainstTheLimit() {
    WritePermits p = new WritePermits(10);
    assertTrue(p.tryAcquire(8, 0));
    assertTrue(p.tryAcquire(8, 8), "only the request's own writes in flight");
    assertTrue(!p.tryAcquire(1, 8), "others hold some and the total passes the limit");
    p.release(16);
    assertEquals(0, p.inFlight());
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
