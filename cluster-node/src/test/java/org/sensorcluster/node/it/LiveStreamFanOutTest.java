package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.testing.TestPostgres;

/**
 * 1,000 fleet stream clients on one node (PostgreSQL): every client gets every reading exactly once
 * from the node's one shared tail. Reports the time and the heap in the test's output; asserts no
 * wall-clock figure (two shared cores).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LiveStreamFanOutTest {

  static final int CLIENTS = 1000;
  static final int READINGS = 20;

  TestPostgres pg;
  SensorNode node;
  ApiClient api;

  @BeforeAll
  void start() {
    pg = TestPostgres.createDatabase("live_fan_out");
    node = TestNodes.start(TestNodes.postgres(pg));
    api = new ApiClient(node.httpPort());
  }

  @AfterAll
  void stop() {
    try {
      if (node != null) {
        node.stop();
      }
    } finally {
      if (pg != null) {
        pg.drop();
      }
    }
  }

  @Test
  void aThousandClientsGetEveryReadingOnceFromOneSharedTail() throws Exception {
    assertEquals(
        202,
        api.postJson("/sensors/fan-1/readings", "{\"readingId\":\"warm-up\",\"value\":1}")
            .status());
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long heapBefore = usedHeap(memory);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    CountDownLatch ready = new CountDownLatch(CLIENTS);
    CountDownLatch delivered = new CountDownLatch(CLIENTS * READINGS);
    AtomicIntegerArray received = new AtomicIntegerArray(CLIENTS);
    List<SseClient> clients = new ArrayList<>(CLIENTS);
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        int client = i;
        clients.add(
            SseClient.open(
                http,
                node.httpPort(),
                "/api/v1/stream",
                null,
                e -> {
                  if (e.type().equals("ready")) {
                    ready.countDown();
                  } else if (e.type().equals("readings")
                      && e.data().contains("\"readingId\":\"fan-")) {
                    // (the warm-up reading, written before the clients connected, may come too: the
                    // tail polls)
                    received.incrementAndGet(client);
                    delivered.countDown();
                  }
                }));
      }
      assertTrue(
          ready.await(120, TimeUnit.SECONDS),
          () -> "clients subscribed: " + (CLIENTS - ready.getCount()));
      long connected = System.nanoTime();
      long heapConnected = usedHeap(memory);
      for (int r = 0; r < READINGS; r++) {
        assertEquals(
            202,
            api.postJson(
                    "/sensors/fan-" + (r % 4) + "/readings",
                    "{\"readingId\":\"fan-" + r + "\",\"value\":" + r + "}")
                .status());
      }
      long posted = System.nanoTime();
      assertTrue(
          delivered.await(120, TimeUnit.SECONDS),
          () ->
              "events delivered: "
                  + ((long) CLIENTS * READINGS - delivered.getCount())
                  + " of "
                  + (long) CLIENTS * READINGS);
      long done = System.nanoTime();
      long heapDelivered = usedHeap(memory);
      for (int i = 0; i < CLIENTS; i++) {
        assertEquals(READINGS, received.get(i), "readings events of client " + i);
      }
      System.out.printf(
          "live streams: %d clients subscribed in %d ms; %d readings posted in %d ms, all %d events"
              + " delivered %d ms after the last post; used heap after GC: %d MiB before, %d MiB with the clients"
              + " connected, %d MiB after delivery (this JVM runs the node and the clients)%n",
          CLIENTS,
          ms(t0, connected),
          READINGS,
          ms(connected, posted),
          CLIENTS * READINGS,
          ms(posted, done),
          heapBefore >> 20,
          heapConnected >> 20,
          heapDelivered >> 20);
    } finally {
      clients.forEach(SseClient::close);
    }
  }

  private static long usedHeap(MemoryMXBean memory) {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static long ms(long from, long to) {
    return TimeUnit.NANOSECONDS.toMillis(to - from);
  }
}
