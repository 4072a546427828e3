package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.node.StorageConfig;
import org.sensorcluster.projections.ReadModels;
import org.sensorcluster.testing.TestPostgres;

/**
 * Adding a read model is one class and one registry entry: a node started with a throwaway model
 * ({@link EventCountModel}) projects it on every tag, lists it in the admin status, exports its lag
 * metrics and rebuilds it, with no change to main code. On H2 and on real PostgreSQL.
 */
class ReadModelRegistrationTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int TAG_COUNT = 8;

  @TempDir Path dataDir;
  private SensorNode node;
  private TestPostgres pg;

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
    if (pg != null) {
      pg.drop();
    }
  }

  @Test
  void aThrowawayModelRunsRebuildsAndReportsOnH2() throws Exception {
    runWith(TestNodes.h2(dataDir));
  }

  @Test
  void aThrowawayModelRunsRebuildsAndReportsOnPostgres() throws Exception {
    pg = TestPostgres.createDatabase("registry");
    runWith(TestNodes.postgres(pg));
  }

  private void runWith(Config storage) throws Exception {
    Config config =
        StorageConfig.load(
            ConfigFactory.parseString("sensors.metrics.poll-interval = 200ms")
                .withFallback(TestNodes.baseOverrides())
                .withFallback(storage));
    node = SensorNode.start(config, ReadModels.ALL.with(new EventCountModel())); // the one line
    ApiClient api = new ApiClient(node.httpPort());
    warmUp(api);
    for (int i = 0; i < 3; i++) {
      assertEquals(202, api.postJson("/sensors/ec-1/readings", "{\"value\":" + i + "}").status());
    }
    assertEquals(202, api.postJson("/sensors/ec-2/readings", "{\"value\":1}").status());
    Map<String, Long> expected = Map.of("ec-1", 3L, "ec-2", 1L);

    JsonNode status = awaitEventCount(api, 1);
    assertEquals(TAG_COUNT, entries(status).size(), status.toString());
    awaitCounts(config, 1, expected);
    String metrics = awaitMetrics();
    assertTrue(metrics.contains("sensors_projection_events_per_second{"), metrics);

    ApiClient.Reply started =
        api.postEmpty("/admin/projections/" + EventCountModel.NAME + "/rebuild");
    assertEquals(202, started.status(), started.raw().body());
    assertEquals(2, started.body().path("generation").asInt());
    awaitEventCount(api, 2);
    awaitCounts(config, 2, expected);
  }

  /**
   * The first write after start may outlast the ask timeout on a loaded machine (see
   * ReadSideContract).
   */
  private static void warmUp(ApiClient api) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    ApiClient.Reply r =
        api.postJson("/sensors/ec-warm-up/readings", "{\"readingId\":\"w\",\"value\":0}");
    while (r.status() == 503 && System.nanoTime() < deadline) {
      ApiClient.sleep(500);
      r = api.postJson("/sensors/ec-warm-up/readings", "{\"readingId\":\"w\",\"value\":0}");
    }
    assertEquals(202, r.status(), "warm-up write: " + r.raw().body());
  }

  /**
   * The admin status once every tag's projection of the model runs generation {@code gen}, caught
   * up.
   */
  private JsonNode awaitEventCount(ApiClient api, int gen) {
    return api.awaitGet(
            "/admin/projections",
            r -> {
              if (r.status() != 200) {
                return false;
              }
              List<JsonNode> e = entries(r.body());
              return e.size() == TAG_COUNT
                  && e.stream()
                      .allMatch(
                          p ->
                              p.path("generation").asInt() == gen
                                  && p.path("state").asText().equals("running")
                                  && p.path("lagEvents").asLong() == 0);
            },
            WAIT)
        .body();
  }

  private static List<JsonNode> entries(JsonNode status) {
    List<JsonNode> out = new ArrayList<>();
    status
        .path("projections")
        .forEach(
            p -> {
              if (p.path("name").asText().equals(EventCountModel.NAME)) {
                out.add(p);
              }
            });
    return out;
  }

  private void awaitCounts(Config config, int gen, Map<String, Long> expected) throws Exception {
    Map<String, Long> seen = Map.of();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      seen = counts(config, gen);
      if (seen.equals(expected)) {
        return;
      }
      Thread.sleep(100);
    }
    assertEquals(expected, seen, "event_count_g" + gen);
  }

  private Map<String, Long> counts(Config config, int gen) throws Exception {
    StorageConfig.Storage s = StorageConfig.storageOf(config);
    Map<String, Long> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(s.url(), s.user(), s.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sensor_id, events FROM event_count_g" + gen)) {
      while (rs.next()) {
        if (!rs.getString(1).equals("ec-warm-up")) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }

  /** A scrape of {@code /metrics} once it has the model's lag gauges for every tag. */
  private String awaitMetrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String body = "";
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      body =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics"))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      long lagEvents =
          body.lines()
              .filter(
                  l ->
                      l.startsWith("sensors_projection_lag_events{")
                          && l.contains("projection=\"" + EventCountModel.NAME + "\""))
              .count();
      long lagSeconds =
          body.lines()
              .filter(
                  l ->
                      l.startsWith("sensors_projection_lag_seconds{")
                          && l.contains("projection=\"" + EventCountModel.NAME + "\""))
              .count();
      if (lagEvents == TAG_COUNT && lagSeconds == TAG_COUNT) {
        return body;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no lag metrics of " + EventCountModel.NAME + " in /metrics:\n" + body);
  }
}
