package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sensorcluster.node.SensorNode;

/** {@code GET /metrics} of a real node after real traffic: the node-level figures moved. */
class MetricsScrapeTest {

  @TempDir Path dataDir;
  private SensorNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
  }

  private String scrape() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  private static double value(String scrape, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void nodeMetricsMoveAfterTraffic() throws Exception {
    node =
        TestNodes.start(
            ConfigFactory.parseString("sensors.metrics.poll-interval = 200ms")
                .withFallback(TestNodes.h2(dataDir)));
    ApiClient api = new ApiClient(node.httpPort());
    double persistedBefore = value(scrape(), "sensors_persist_latency_seconds_count");
    for (int i = 0; i < 5; i++) {
      assertEquals(
          202,
          api.postJson("/sensors/metric-" + i + "/readings", "{\"value\":" + i + "}").status());
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    String s = scrape();
    while (value(s, "sensors_sharding_entities") < 5 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      s = scrape();
    }
    assertEquals(5, value(s, "sensors_sharding_entities"), s);
    assertTrue(value(s, "sensors_sharding_shards") >= 1);
    double persisted = value(s, "sensors_persist_latency_seconds_count");
    assertEquals(5, persisted - (Double.isNaN(persistedBefore) ? 0 : persistedBefore), s);
    assertEquals(1, value(s, "sensors_cluster_members{status=\"up\"}"));
    assertEquals(0, value(s, "sensors_cluster_unreachable_members"));
    assertTrue(
        value(
                s,
                "sensors_http_requests_total{method=\"POST\",route=\"sensor_readings\",status=\"202\"}")
            >= 5);
    assertTrue(s.contains("jvm_memory_used_bytes"), "JVM metrics are exported");
    assertTrue(s.contains("jvm_gc_collection_seconds"), "GC metrics are exported");
  }
}
