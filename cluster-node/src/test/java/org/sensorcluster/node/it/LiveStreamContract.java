package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.sensorcluster.node.SensorNode;

/**
 * The live streams of a real node: readings posted after a client connected reach it within 2 s; a
 * client that reconnects with Last-Event-ID gets exactly the events it missed, then the live ones.
 * Run on PostgreSQL and on H2 by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
abstract class LiveStreamContract {

  static final Duration LIVE = Duration.ofSeconds(2);

  SensorNode node;
  ApiClient api;
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** The storage of this class's node. */
  abstract Config storage();

  abstract void releaseStorage();

  @BeforeAll
  void start() {
    node = TestNodes.start(storage());
    api = new ApiClient(node.httpPort());
  }

  @AfterAll
  void stop() {
    try {
      if (node != null) {
        node.stop();
      }
    } finally {
      releaseStorage();
    }
  }

  @Test
  void fleetStreamIsLiveAndResumesWithoutGapOrRepeat() throws Exception {
    post("fleet-1", "f1");
    String last = null;
    try (SseClient c = SseClient.open(http, node.httpPort(), "/api/v1/stream", null)) {
      assertEquals(200, c.status());
      assertNotNull(c.next(1, "ready", LIVE).get(0).id());
      for (String r : List.of("f2", "f3", "f4")) {
        post("fleet-1", r);
        SseClient.Event e = c.next(1, "readings", LIVE).get(0);
        if (readingIds(e).equals(List.of("f1"))) {
          // written before the client connected, but the tail (polling every 50 ms here) passed it
          // after
          e = c.next(1, "readings", LIVE).get(0);
        }
        assertEquals(List.of(r), readingIds(e));
        last = e.id();
      }
      last = lastOf(c, last);
    }
    for (String r : List.of("f5", "f6", "f7")) {
      post("fleet-1", r);
    }
    post("fleet-2", "g1");
    try (SseClient c = SseClient.open(http, node.httpPort(), "/api/v1/stream", last)) {
      assertEquals(200, c.status());
      assertEquals(last, c.next(1, "ready", LIVE).get(0).id());
      List<String> missed = new ArrayList<>();
      for (SseClient.Event e : c.next(4, "readings", LIVE)) {
        missed.addAll(readingIds(e));
      }
      assertEquals(List.of("f5", "f6", "f7", "g1"), missed.stream().sorted().toList());
      post("fleet-1", "f8");
      assertEquals(
          List.of("f8"),
          readingIds(c.next(1, "readings", LIVE).get(0)),
          "the live event after the replay");
    }
  }

  @Test
  void sensorStreamResumesFromItsSequenceNumber() throws Exception {
    post("one-1", "a1");
    String last = null;
    try (SseClient c =
        SseClient.open(http, node.httpPort(), "/api/v1/sensors/one-1/stream", null)) {
      assertEquals(200, c.status());
      c.next(1, "ready", LIVE);
      post("one-2", "other");
      post("one-1", "a2");
      SseClient.Event e = c.next(1, "readings", LIVE).get(0);
      assertEquals(List.of("a2"), readingIds(e));
      last = e.id();
    }
    post("one-1", "a3");
    post("one-1", "a4");
    try (SseClient c =
        SseClient.open(http, node.httpPort(), "/api/v1/sensors/one-1/stream", last)) {
      List<String> got = new ArrayList<>();
      for (SseClient.Event e : c.next(2, "readings", LIVE)) {
        got.addAll(readingIds(e));
        assertEquals(Long.parseLong(last) + got.size(), Long.parseLong(e.id()));
      }
      assertEquals(List.of("a3", "a4"), got);
      post("one-1", "a5");
      assertEquals(List.of("a5"), readingIds(c.next(1, "readings", LIVE).get(0)));
    }
  }

  @Test
  void alertsStreamAndFleetFiltersOnRealEvents() throws Exception {
    assertEquals(
        201,
        api.put(
                "/sensors/alarm-1",
                "{\"type\":\"live-boiler\",\"labels\":{\"site\":\"live-a\"},"
                    + "\"thresholds\":{\"min\":0,\"max\":10,\"hysteresis\":0.5}}")
            .status());
    assertEquals(201, api.put("/sensors/alarm-2", "{\"type\":\"live-other\"}").status());
    try (SseClient alerts = SseClient.open(http, node.httpPort(), "/api/v1/alerts/stream", null);
        SseClient boilers =
            SseClient.open(
                http, node.httpPort(), "/api/v1/stream?type=live-boiler&label=site:live-a", null)) {
      alerts.next(1, "ready", LIVE);
      boilers.next(1, "ready", LIVE);
      post("alarm-2", "other-1", 50);
      post("alarm-1", "hot", 20);
      post("alarm-1", "cool", 5);
      SseClient.Event raisedEvent = alerts.next(1, "alert-raised", LIVE).get(0);
      JsonNode raised = ApiClient.JSON.readTree(raisedEvent.data());
      assertEquals("alarm-1", raised.path("sensorId").asText());
      assertEquals(20.0, raised.path("raisedValue").asDouble());
      assertEquals("open", raised.path("state").asText());
      SseClient.Event cleared = alerts.next(LIVE);
      assertEquals(
          "alert-cleared",
          cleared == null ? "nothing" : cleared.type(),
          "the event after the raise");
      assertEquals(5.0, ApiClient.JSON.readTree(cleared.data()).path("clearedValue").asDouble());
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        SseClient.Event e = boilers.next(LIVE);
        assertNotNull(e, () -> "4 events of alarm-1, got " + seen);
        assertEquals(
            "alarm-1", ApiClient.JSON.readTree(e.data()).path("sensorId").asText(), e::data);
        seen.add(e.type());
      }
      assertEquals(
          List.of("alert-cleared", "alert-raised", "readings", "readings"),
          seen.stream().sorted().toList());
    }
  }

  @Test
  void unknownSensorIs404AndABadLastEventIdIs400() throws Exception {
    try (SseClient c =
        SseClient.open(http, node.httpPort(), "/api/v1/sensors/never-seen/stream", null)) {
      assertEquals(404, c.status());
    }
    try (SseClient c = SseClient.open(http, node.httpPort(), "/api/v1/alerts/stream", "1.2")) {
      assertEquals(400, c.status());
    }
  }

  /**
   * The id of the last event {@code c} has received by now (the stream may have sent nothing more).
   */
  private static String lastOf(SseClient c, String last) throws InterruptedException {
    SseClient.Event e;
    while ((e = c.next(Duration.ZERO)) != null) {
      last = e.id();
    }
    return last;
  }

  private void post(String sensor, String readingId) {
    post(sensor, readingId, 1.5);
  }

  private void post(String sensor, String readingId, double value) {
    ApiClient.Reply r =
        api.postJson(
            "/sensors/" + sensor + "/readings",
            "{\"readingId\":\"" + readingId + "\",\"value\":" + value + "}");
    assertTrue(
        r.status() / 100 == 2, () -> "POST " + readingId + ": " + r.status() + " " + r.body());
  }

  private static List<String> readingIds(SseClient.Event e) throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode r : ApiClient.JSON.readTree(e.data()).path("readings")) {
      ids.add(r.path("readingId").asText());
    }
    return ids;
  }
}
