package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sensorcluster.node.SensorNode;

/**
 * A whole node (sharding, journal, projection, HTTP) on a real database, stopped and started again
 * between writes and reads. Run once per database by its subclasses.
 */
abstract class NodeRecoveryContract {

  private static final Duration PROJECTION_WAIT = Duration.ofSeconds(20);
  private SensorNode node;

  /** Storage settings of the database under test; the same for every start within one test. */
  abstract Config storage();

  /** Number of readings in the journal for the sensor, counted in the database itself. */
  abstract long journalEventsOf(String sensorId) throws Exception;

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.stop();
      node = null;
    }
  }

  private ApiClient startNode() {
    node = TestNodes.start(storage());
    return new ApiClient(node.httpPort());
  }

  private ApiClient restartNode() {
    node.stop();
    return startNode();
  }

  @Test
  void state_duplicate_memory_and_read_model_survive_a_restart() throws Exception {
    ApiClient api = startNode();
    assertEquals(
        202,
        api.postJson(
                "/sensors/room-1/readings",
                "[{\"readingId\":\"r-1\",\"timestamp\":\"2026-01-01T10:00:00Z\",\"value\":20.5},"
                    + "{\"readingId\":\"r-2\",\"timestamp\":\"2026-01-01T10:01:00Z\",\"value\":21.0}]")
            .status());
    ApiClient.Reply dup =
        api.postJson(
            "/sensors/room-1/readings",
            "{\"readingId\":\"r-2\",\"timestamp\":\"2026-01-01T10:01:00Z\",\"value\":21.0}");
    assertEquals(202, dup.status());
    assertEquals(0, dup.body().get("accepted").asInt());
    assertEquals(1, dup.body().get("duplicates").asInt());
    api.awaitGet(
        "/sensors/room-1",
        r -> r.status() == 200 && r.body().get("readingCount").asLong() == 2,
        PROJECTION_WAIT);

    api = restartNode();

    ApiClient.Reply strong = api.get("/sensors/room-1?consistency=strong");
    assertEquals(200, strong.status(), strong.raw().body());
    assertEquals(2, strong.body().get("readingCount").asLong());
    assertEquals("r-2", strong.body().get("lastReading").get("readingId").asText());
    // resent without timestamps: compared by value only
    ApiClient.Reply again =
        api.postJson(
            "/sensors/room-1/readings",
            "[{\"readingId\":\"r-1\",\"value\":20.5},{\"readingId\":\"r-2\",\"value\":21.0},{\"readingId\":\"r-3\","
                + "\"timestamp\":\"2026-01-01T09:00:00Z\",\"value\":19.0}]");
    assertEquals(202, again.status(), again.raw().body());
    assertEquals(1, again.body().get("accepted").asInt(), "only r-3 is new after the restart");
    assertEquals(
        2, again.body().get("duplicates").asInt(), "r-1 and r-2 are remembered across the restart");
    ApiClient.Reply reused =
        api.postJson("/sensors/room-1/readings", "{\"readingId\":\"r-2\",\"value\":2}");
    assertEquals(
        409,
        reused.status(),
        "r-2's value is remembered across the restart too: " + reused.raw().body());

    ApiClient.Reply view =
        api.awaitGet(
            "/sensors/room-1",
            r -> r.status() == 200 && r.body().get("readingCount").asLong() == 3,
            PROJECTION_WAIT);
    assertEquals(
        "r-2",
        view.body().get("lastReading").get("readingId").asText(),
        "the late reading r-3 (09:00) must not move the last reading (10:01) back");
    assertEquals(21.0, view.body().get("lastReading").get("value").asDouble());
    assertEquals(2, journalEventsOf("room-1"), "one event per request that stored something");
  }

  @Test
  void batch_counts_every_stored_reading_exactly_once_in_the_read_model() throws Exception {
    ApiClient api = startNode();
    int sensors = 50;
    int perSensor = 20;
    List<String> items = new ArrayList<>();
    for (int i = 0; i < perSensor; i++) {
      for (int s = 0; s < sensors; s++) {
        items.add(
            "{\"sensorId\":\"batch-" + s + "\",\"readingId\":\"b-" + i + "\",\"value\":" + i + "}");
      }
    }
    String body = "[" + String.join(",", items) + "]";
    ApiClient.Reply first = api.postJson("/readings", body);
    assertEquals(202, first.status(), first.raw().body());
    assertEquals(sensors * perSensor, first.body().get("accepted").asInt());
    // The same batch again (a client retry) stores nothing.
    ApiClient.Reply retry = api.postJson("/readings", body);
    assertEquals(0, retry.body().get("accepted").asInt());
    assertEquals(sensors * perSensor, retry.body().get("duplicates").asInt());
    // NDJSON of the same items, plus one new reading per sensor.
    String ndjson =
        items.stream().collect(Collectors.joining("\n"))
            + "\n"
            + IntStream.range(0, sensors)
                .mapToObj(
                    s -> "{\"sensorId\":\"batch-" + s + "\",\"readingId\":\"extra\",\"value\":99}")
                .collect(Collectors.joining("\n"));
    ApiClient.Reply nd = api.post("/readings", "application/x-ndjson", ndjson);
    assertEquals(202, nd.status(), nd.raw().body());
    assertEquals(sensors, nd.body().get("accepted").asInt());

    api = restartNode();
    for (int s = 0; s < sensors; s++) {
      ApiClient.Reply view =
          api.awaitGet(
              "/sensors/batch-" + s,
              r -> r.status() == 200 && r.body().get("readingCount").asLong() >= perSensor + 1,
              PROJECTION_WAIT);
      assertEquals(perSensor + 1, view.body().get("readingCount").asLong(), "batch-" + s);
    }
    assertTrue(journalEventsOf("batch-0") <= 3, "a sensor's readings of one batch are one event");
  }
}
