package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.testing.TestPostgres;

/**
 * The largest batch the API takes (10,000 items, {@code sensors.http.batch-max-items}) over 5,000
 * sensors nobody has written yet, sent to an idle node on PostgreSQL with the shipped settings: one
 * request, one 202, every reading stored. Before, the node answered 503 with 900-2,600 items
 * unconfirmed: the sensors asked first waited more than the 5 s ask timeout while the node
 * recovered thousands of new sensors; a write of a batch now waits as long as the batch keeps
 * making progress ({@code BatchProgress}).
 */
class LargeBatchOnIdleNodeTest {

  private static final int SENSORS = 5_000;
  private static final int PER_SENSOR = 2;

  private TestPostgres db;
  private SensorNode node;

  @AfterEach
  void stop() {
    try {
      if (node != null) {
        node.stop();
      }
    } finally {
      if (db != null) {
        db.drop();
      }
    }
  }

  @Test
  void ten_thousand_items_over_five_thousand_new_sensors_are_one_202() {
    db = TestPostgres.createDatabase("large_batch");
    node = TestNodes.start(TestNodes.postgres(db));
    ApiClient api = new ApiClient(node.httpPort());
    ApiClient.Reply first = api.postJson("/sensors/warm-up/readings", WARM_UP);
    for (int i = 0; i < 60 && first.status() == 503; i++) { // the node is still starting
      ApiClient.sleep(500);
      first = api.postJson("/sensors/warm-up/readings", WARM_UP);
    }
    assertEquals(202, first.status(), first.raw().body());

    // as a gateway forwards a fleet: every sensor's first reading, then every sensor's second
    StringBuilder body = new StringBuilder(SENSORS * PER_SENSOR * 64).append('[');
    for (int r = 0; r < PER_SENSOR; r++) {
      for (int s = 0; s < SENSORS; s++) {
        if (body.length() > 1) {
          body.append(',');
        }
        body.append("{\"sensorId\":\"big-")
            .append(s)
            .append("\",\"readingId\":\"r-")
            .append(r)
            .append("\",\"value\":")
            .append(r)
            .append('}');
      }
    }
    body.append(']');
    long began = System.nanoTime();
    ApiClient.Reply batch =
        api.post("/readings", "application/json", body.toString(), Duration.ofSeconds(60));
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    JsonNode answer = batch.body();
    String summary =
        "after "
            + took.toMillis()
            + " ms: "
            + batch.status()
            + " accepted="
            + answer.path("accepted")
            + " unconfirmed="
            + answer.path("unconfirmed").size()
            + " first unconfirmed="
            + answer.path("unconfirmed").path(0);
    System.out.println("10,000-item batch over 5,000 new sensors: " + summary);
    assertEquals(202, batch.status(), summary);
    assertEquals(SENSORS * PER_SENSOR, answer.path("accepted").asInt(), summary);
    ApiClient.Reply last = api.get("/sensors/big-" + (SENSORS - 1) + "?consistency=strong");
    assertEquals(200, last.status(), last.raw().body());
    assertEquals(PER_SENSOR, last.body().path("readingCount").asInt(), last.raw().body());
  }

  private static final String WARM_UP = "{\"readingId\":\"w\",\"value\":0}";
}
