package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sensorcluster.node.SensorNode;

/**
 * Silent sensors on a whole node: a sensor expected every 2 s that sends nothing goes silent
 * (sensor list, stats, a SILENT alert) and its next reading clears it; sensors are passivated after
 * 1 s, so every silence here is decided by an entity woken by the watcher's command; after a
 * restart the watcher and entities pick up where they were. Run once per database by its
 * subclasses.
 */
abstract class SilentSensorsContract {

  /**
   * How long a state the node reaches by itself may take here (a failure bound, not a measured
   * figure).
   */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private SensorNode node;

  /** Storage settings of the database under test; the same for every start within one test. */
  abstract Config storage();

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.stop();
      node = null;
    }
  }

  private ApiClient startNode() {
    node =
        TestNodes.start(
            ConfigFactory.parseString(
                    String.join(
                        "\n",
                        "sensors.entity.passivate-after = 1s",
                        "sensors.silence.check-interval = 200ms"))
                .withFallback(storage()));
    return new ApiClient(node.httpPort());
  }

  private static void register(ApiClient api, String sensorId) {
    int status =
        api.put("/sensors/" + sensorId, "{\"name\":\"quiet\",\"expectedInterval\":\"PT2S\"}")
            .status();
    assertTrue(status == 200 || status == 201, "registered: " + status);
  }

  private static void send(ApiClient api, String sensorId, double value) {
    assertEquals(
        202,
        api.postJson("/sensors/" + sensorId + "/readings", "{\"value\":" + value + "}").status());
  }

  private static boolean silent(ApiClient.Reply r) {
    return r.status() == 200 && r.body().path("silent").asBoolean();
  }

  /** The sensor's alerts, newest first. */
  private static List<JsonNode> alerts(ApiClient api, String sensorId) {
    List<JsonNode> out = new ArrayList<>();
    api.get("/alerts?sensorId=" + sensorId).body().path("items").forEach(out::add);
    return out;
  }

  @Test
  void
      a_quiet_sensor_goes_silent_raises_an_alert_and_its_next_reading_clears_it_also_after_a_restart() {
    ApiClient api = startNode();
    register(api, "quiet-1");
    send(api, "quiet-1", 1.5);
    register(api, "chatty-1");

    JsonNode sensor = api.awaitGet("/sensors/quiet-1", SilentSensorsContract::silent, WAIT).body();
    assertTrue(sensor.has("silentSince"));
    assertEquals("PT2S", sensor.path("expectedInterval").asText());
    JsonNode list =
        api.awaitGet("/sensors?silent=true", r -> r.status() == 200, WAIT).body().path("items");
    assertEquals(1, list.size(), list::toString);
    assertEquals("quiet-1", list.get(0).path("sensorId").asText());
    assertTrue(api.get("/stats").body().path("silent").asLong() >= 1);
    api.awaitGet(
        "/alerts?state=open&sensorId=quiet-1", r -> r.body().path("items").size() == 1, WAIT);
    JsonNode alert = alerts(api, "quiet-1").get(0);
    assertEquals("SILENT", alert.path("bound").asText());
    assertEquals("open", alert.path("state").asText());
    assertEquals(1.5, alert.path("raisedValue").asDouble());
    assertEquals(0, api.get("/sensors/chatty-1").body().path("readingCount").asLong());
    assertTrue(
        !api.get("/sensors/chatty-1").body().path("silent").asBoolean(),
        "no readings: never silent");

    send(api, "quiet-1", 2.5);
    api.awaitGet(
        "/sensors/quiet-1", r -> r.status() == 200 && !r.body().path("silent").asBoolean(), WAIT);
    api.awaitGet(
        "/alerts?state=closed&sensorId=quiet-1", r -> r.body().path("items").size() == 1, WAIT);
    assertEquals(2.5, alerts(api, "quiet-1").get(0).path("clearedValue").asDouble());

    register(api, "quiet-2");
    send(api, "quiet-2", 7.0);
    node.stop(); // before quiet-2 can go silent: that is decided by the next node
    api = startNode();
    api.awaitGet("/sensors/quiet-2", SilentSensorsContract::silent, WAIT);
    api.awaitGet("/sensors/quiet-1", SilentSensorsContract::silent, WAIT);
    api.awaitGet(
        "/alerts?state=open&sensorId=quiet-2", r -> r.body().path("items").size() == 1, WAIT);
    api.awaitGet(
        "/alerts?state=open&sensorId=quiet-1", r -> r.body().path("items").size() == 1, WAIT);
    List<JsonNode> quiet1 = alerts(api, "quiet-1");
    assertEquals(2, quiet1.size(), "one alert per silence: " + quiet1);
    assertEquals(2, quiet1.get(0).path("alertNumber").asLong());
    assertEquals(1, alerts(api, "quiet-2").size());
    assertEquals(
        2,
        api.awaitGet("/stats", r -> r.body().path("silent").asLong() == 2, WAIT)
            .body()
            .path("silent")
            .asLong());

    send(api, "quiet-2", 8.0);
    api.awaitGet(
        "/sensors/quiet-2", r -> r.status() == 200 && !r.body().path("silent").asBoolean(), WAIT);
    api.awaitGet(
        "/alerts?state=closed&sensorId=quiet-2", r -> r.body().path("items").size() == 1, WAIT);
  }
}
