package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.testing.TestPostgres;

/**
 * A journal written by the ingest-path version of the node (rows captured from it, never
 * regenerated) still replays: the entities recover their counts and duplicate memory from its
 * events and snapshot, they append after it, and every read model is built from its old events.
 */
class JournalFixtureReplayTest {

  private static TestPostgres pg;
  private static SensorNode node;
  private static ApiClient api;

  @BeforeAll
  static void loadFixtureAndStart() throws Exception {
    pg = TestPostgres.createDatabase("fixture");
    // a first start creates the tables; the fixture then goes in as the old version left it
    Config storage =
        TestNodes.postgres(pg)
            .withFallback(
                ConfigFactory.parseString(
                    "sensors.read-models.readings-retention = 3650d\nsensors.read-models.rollup-1m-retention = 3650d"));
    TestNodes.start(storage).stop();
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        InputStream in =
            JournalFixtureReplayTest.class.getResourceAsStream(
                "/fixtures/journal-v1-ingest-path.sql")) {
      for (String sql : statements(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
        s.execute(sql);
      }
    }
    node = TestNodes.start(storage);
    api = new ApiClient(node.httpPort());
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop();
    }
    if (pg != null) {
      pg.drop();
    }
  }

  private static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    for (String line : script.split("\n")) {
      String l = line.trim();
      if (!l.isEmpty() && !l.startsWith("--")) {
        out.add(l.endsWith(";") ? l.substring(0, l.length() - 1) : l);
      }
    }
    return out;
  }

  @Test
  void entitiesRecoverFromTheOldEventsAndSnapshotAndAppendAfterThem() {
    JsonNode boiler = api.get("/sensors/boiler-1?consistency=strong").body();
    assertEquals(5, boiler.path("readingCount").asLong(), boiler.toString());
    assertEquals(4, boiler.path("sequenceNr").asLong(), boiler.toString());
    assertEquals("b1-5", boiler.path("lastReading").path("readingId").asText(), boiler.toString());

    ApiClient.Reply dup =
        api.postJson("/sensors/boiler-1/readings", "{\"readingId\":\"b1-2\",\"value\":1}");
    assertEquals(202, dup.status());
    assertEquals(
        1,
        dup.body().path("duplicates").asInt(),
        "b1-2 is remembered from the old journal: " + dup.body());
    ApiClient.Reply fresh =
        api.postJson("/sensors/boiler-1/readings", "{\"readingId\":\"b1-6\",\"value\":24}");
    assertEquals(202, fresh.status());
    assertEquals(5, fresh.body().path("sequenceNr").asLong(), fresh.body().toString());
  }

  @Test
  void readModelsAreBuiltFromTheOldEvents() {
    Duration wait = Duration.ofSeconds(30);
    JsonNode pump = api.awaitGet("/sensors/pump-7", r -> r.status() == 200, wait).body();
    assertEquals(2, pump.path("readingCount").asLong(), pump.toString());
    assertEquals(
        1000.0,
        api.awaitGet("/sensors/fan.3", r -> r.status() == 200, wait)
            .body()
            .path("lastReading")
            .path("value")
            .asDouble());

    String range = "from=2026-11-20T09:00:00Z&to=2026-11-20T11:00:00Z";
    JsonNode raw =
        api.get("/sensors/boiler-1/readings?" + range + "&step=raw&minSeq=boiler-1:4").body();
    List<Double> values = new ArrayList<>();
    raw.path("points").forEach(p -> values.add(p.path("value").asDouble()));
    assertEquals(List.of(-3.25, 20.0, 21.5, 22.0, 23.75), values, raw.toString());

    JsonNode hours =
        api.get("/sensors/boiler-1/readings?" + range + "&step=1h&minSeq=boiler-1:4").body();
    JsonNode b = hours.path("buckets");
    assertEquals(2, b.size(), hours.toString());
    assertEquals(2, b.get(0).path("count").asLong());
    assertEquals(-3.25, b.get(0).path("min").asDouble());
    assertEquals(3, b.get(1).path("count").asLong());
    assertEquals((21.5 + 22.0 + 23.75) / 3, b.get(1).path("avg").asDouble(), 1e-9);
  }
}
