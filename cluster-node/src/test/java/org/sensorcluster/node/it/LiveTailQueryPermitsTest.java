package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sensorcluster.node.SensorNode;

/**
 * The live streams' tail looks up the metadata of every sensor it has not seen yet. Those lookups
 * must not take the permits of the API's query bulkhead: with one permit, a client that asks one
 * query at a time while batches of new sensors arrive is never refused (seen in CI as "too many
 * queries in flight on this node (4)" for a client that had no other query open).
 */
class LiveTailQueryPermitsTest {

  private static final String PROBE = "{\"readingId\":\"p\",\"value\":1}";

  @TempDir Path dataDir;

  @Test
  void new_sensors_in_the_journal_never_take_a_sequential_clients_query_permit() throws Exception {
    SensorNode node =
        TestNodes.start(
            ConfigFactory.parseString("sensors.http.max-queries-in-flight = 1")
                .withFallback(TestNodes.h2(dataDir)));
    try {
      ApiClient api = new ApiClient(node.httpPort());
      ApiClient.Reply first = api.postJson("/sensors/probe/readings", PROBE);
      for (int i = 0; i < 60 && first.status() == 503; i++) { // a cold node under a loaded CI
        ApiClient.sleep(500);
        first = api.postJson("/sensors/probe/readings", PROBE);
      }
      assertEquals(202, first.status(), first.raw().body());
      api.awaitGet("/sensors/probe", r -> r.status() == 200, Duration.ofSeconds(30));
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger batches = new AtomicInteger();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                ApiClient w = new ApiClient(node.httpPort());
                while (writing.get()) {
                  int b = batches.getAndIncrement();
                  List<String> items = new ArrayList<>();
                  for (int i = 0; i < 50; i++) {
                    items.add(
                        "{\"sensorId\":\"new-"
                            + b
                            + "-"
                            + i
                            + "\",\"readingId\":\"r\",\"value\":1}");
                  }
                  w.postJson("/readings", "[" + String.join(",", items) + "]");
                }
              });
      List<String> refused = new ArrayList<>();
      int asked = 0;
      long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      while (System.nanoTime() < end) {
        ApiClient.Reply r = api.get(asked % 2 == 0 ? "/sensors/probe" : "/stats");
        asked++;
        // a query that outlives the query timeout on a loaded machine is another matter (503,
        // "read model unavailable"); anything else but 200 or the bulkhead's 503 fails the test
        if (r.status() == 503 && r.raw().body().contains("too many queries in flight")) {
          refused.add(r.raw().body());
        } else if (r.status() != 200) {
          assertEquals(503, r.status(), r.raw().body());
        }
      }
      writing.set(false);
      writer.get();
      assertTrue(batches.get() >= 5, "batches of new sensors written meanwhile: " + batches);
      assertEquals(
          0,
          refused.size(),
          refused.size()
              + " of "
              + asked
              + " queries asked one at a time were refused, first: "
              + (refused.isEmpty() ? "" : refused.get(0)));
    } finally {
      node.stop();
    }
  }
}
