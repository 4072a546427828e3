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
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.node.StorageConfig;
import org.sensorcluster.projections.ReadModels;
import org.sensorcluster.testing.TestPostgres;

/**
 * A poison event on a real node, on real PostgreSQL and on H2: a test-only read model whose handler
 * throws on one event ({@link EventCountModel#poisonedAt}) applies every other event, catches up
 * (lag 0), records the poison event once in {@code projection_dead_letters} with its identity and
 * error, counts it in {@code sensors_projection_dead_letters_total} and lists it under {@code GET
 * /admin/projections/dead-letters}; a rebuild skips it again and records it once for its own
 * generation; discarding one deletes it. Without the guard the model stalls (its lag never reaches
 * 0).
 */
class PoisonEventTest {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String MODEL = EventCountModel.POISONED_NAME;

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

  @TempDir Path dataDir;
  private Config config;

  @Test
  void aPoisonEventIsRecordedOnceSkippedCountedAndListedAndARebuildSkipsItAgainOnPostgres()
      throws Exception {
    pg = TestPostgres.createDatabase("poison");
    runWith(TestNodes.postgres(pg));
  }

  @Test
  void aPoisonEventIsRecordedOnceSkippedCountedAndListedAndARebuildSkipsItAgainOnH2()
      throws Exception {
    runWith(TestNodes.h2(dataDir));
  }

  private void runWith(Config storage) throws Exception {
    config =
        StorageConfig.load(
            ConfigFactory.parseString("sensors.metrics.poll-interval = 200ms")
                .withFallback(TestNodes.baseOverrides())
                .withFallback(storage));
    EventCountModel model = EventCountModel.poisonedAt("poison-1", 2);
    node = SensorNode.start(config, ReadModels.ALL.with(model));
    ApiClient api = new ApiClient(node.httpPort());
    warmUp(api);
    for (int i = 0; i < 3; i++) {
      assertEquals(
          202, api.postJson("/sensors/poison-1/readings", "{\"value\":" + i + "}").status());
    }
    assertEquals(202, api.postJson("/sensors/ok-1/readings", "{\"value\":1}").status());
    Map<String, Long> expected = Map.of("poison-1", 2L, "ok-1", 1L);

    awaitCounts(1, expected);
    awaitDeadLetterRows(1);
    awaitCaughtUp(api, 1);
    assertEquals(expected, counts(1), "every event but the poison one applied");
    JsonNode letters = api.get("/admin/projections/dead-letters").body().path("deadLetters");
    assertEquals(1, letters.size(), letters.toString());
    JsonNode d = letters.get(0);
    assertEquals(MODEL, d.path("model").asText());
    assertEquals(MODEL + "-g1", d.path("projection").asText());
    assertEquals(1, d.path("generation").asInt());
    assertTrue(d.path("tag").asText().startsWith("sensor-"), d.toString());
    assertEquals(SensorPersistenceIds.of("poison-1"), d.path("persistenceId").asText());
    assertEquals(2, d.path("seqNr").asLong());
    assertEquals(journalOrdering("poison-1", 2), d.path("offset").asLong());
    assertTrue(
        d.path("error").asText().contains("IllegalStateException: poison event"), d.toString());
    assertEquals(1, deadLetterRows(), "recorded once");
    assertEquals("1.0", metric(MODEL));

    ApiClient.Reply started = api.postEmpty("/admin/projections/" + MODEL + "/rebuild");
    assertEquals(202, started.status(), started.raw().body());
    awaitCaughtUp(api, 2);
    awaitCounts(2, expected);
    awaitDeadLetterRows(2);
    assertEquals(expected, counts(2), "the rebuilt generation skips the same event");
    JsonNode all = api.get("/admin/projections/dead-letters").body().path("deadLetters");
    List<String> projections = new ArrayList<>();
    all.forEach(
        x -> projections.add(x.path("projection").asText() + " " + x.path("seqNr").asLong()));
    assertEquals(List.of(MODEL + "-g1 2", MODEL + "-g2 2"), projections.stream().sorted().toList());
    assertEquals(2, deadLetterRows(), "once per generation");
    assertEquals("2.0", metric(MODEL));

    String g1 =
        "/admin/projections/dead-letters/"
            + MODEL
            + "-g1/"
            + java.net.URLEncoder.encode(
                SensorPersistenceIds.of("poison-1"), java.nio.charset.StandardCharsets.UTF_8)
            + "/2";
    ApiClient.Reply retired = api.postEmpty(g1 + "/retry");
    assertEquals(409, retired.status(), "generation 1 was replaced: " + retired.raw().body());
    assertTrue(retired.raw().body().contains("dead-letter-not-retryable"), retired.raw().body());
    assertEquals(204, api.delete(g1).status(), "discarded");
    assertEquals(404, api.delete(g1).status(), "gone");
    assertEquals(1, deadLetterRows(), "generation 2's stays");

    String g2 = g1.replace(MODEL + "-g1/", MODEL + "-g2/");
    ApiClient.Reply still = api.postEmpty(g2 + "/retry");
    assertEquals(409, still.status(), still.raw().body());
    assertTrue(
        still.raw().body().contains("IllegalStateException: poison event"), still.raw().body());
    assertEquals(1, deadLetterRows(), "a failed retry keeps the dead letter");
    assertEquals(expected, counts(2), "and applies nothing");

    model.cure();
    ApiClient.Reply applied = api.postEmpty(g2 + "/retry");
    assertEquals(200, applied.status(), applied.raw().body());
    assertEquals("applied", applied.body().path("outcome").asText(), applied.raw().body());
    assertEquals(0, deadLetterRows(), "the dead letter is deleted with the event applied");
    assertEquals(Map.of("poison-1", 3L, "ok-1", 1L), counts(2), "the event is applied now");
    assertEquals(404, api.postEmpty(g2 + "/retry").status(), "nothing left to retry");
  }

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

  /** Waits until every tag's projection of the model runs generation {@code gen} with no lag. */
  private static void awaitCaughtUp(ApiClient api, int gen) {
    api.awaitGet(
        "/admin/projections",
        r -> {
          if (r.status() != 200) {
            return false;
          }
          List<JsonNode> e = new ArrayList<>();
          r.body()
              .path("projections")
              .forEach(
                  p -> {
                    if (p.path("name").asText().equals(MODEL)) {
                      e.add(p);
                    }
                  });
          return !e.isEmpty()
              && e.stream()
                  .allMatch(
                      p ->
                          p.path("generation").asInt() == gen
                              && p.path("state").asText().equals("running")
                              && p.path("lagEvents").asLong() == 0);
        },
        WAIT);
  }

  private Map<String, Long> counts(int gen) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sensor_id, events FROM " + MODEL + "_g" + gen)) {
      while (rs.next()) {
        if (!rs.getString(1).equals("ec-warm-up")) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }

  private void awaitCounts(int gen, Map<String, Long> expected) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!counts(gen).equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(
        expected, counts(gen), MODEL + "_g" + gen + ": every event but the poison one applied");
  }

  private void awaitDeadLetterRows(long n) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (deadLetterRows() < n && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(n, deadLetterRows(), "dead letters recorded");
  }

  private Connection connect() throws Exception {
    StorageConfig.Storage s = StorageConfig.storageOf(config);
    return DriverManager.getConnection(s.url(), s.user(), s.password());
  }

  private long deadLetterRows() throws Exception {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM projection_dead_letters")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private long journalOrdering(String sensorId, long seqNr) throws Exception {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT \"ordering\" FROM \"event_journal\" WHERE \"persistence_id\" = '"
                    + SensorPersistenceIds.of(sensorId)
                    + "' AND \"sequence_number\" = "
                    + seqNr)) {
      assertTrue(rs.next(), "the event is in the journal");
      return rs.getLong(1);
    }
  }

  /** The value of {@code sensors_projection_dead_letters_total} for {@code model} in a scrape. */
  private String metric(String model) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    String prefix = "sensors_projection_dead_letters_total{projection=\"" + model + "\"} ";
    return body.lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + "in /metrics:\n" + body));
  }
}
