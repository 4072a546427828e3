package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.testing.TestPostgres;

/**
 * Each journal event is read once for all read models (ADR 23): on PostgreSQL, 1,500 readings of
 * 500 sensors are written, every read model's offset reaches the head of every tag, and then the
 * node's projections have read fewer than two events per journal event (the four models reading on
 * their own read at least four per event, as the run with the shared reader off shows; that run
 * keeps the old way working too). Then every model is rebuilt at once: with the shared reader the
 * rebuild reads the journal once for all of them (twice at most), without it four times.
 */
class SharedJournalReaderTest {

  private static final List<String> MODELS =
      List.of("sensor_latest", "readings", "rollups", "alerts");

  @ParameterizedTest(name = "shared reader {0}")
  @ValueSource(strings = {"on", "off"})
  void each_event_is_read_once_for_all_read_models(String shared) throws Exception {
    TestPostgres db = TestPostgres.createDatabase("shared_reader_" + shared);
    SensorNode node = null;
    try {
      node =
          TestNodes.start(
              ConfigFactory.parseString("sensors.projections.shared-reader = " + shared)
                  .withFallback(TestNodes.postgres(db)));
      ApiClient api = new ApiClient(node.httpPort());
      for (int b = 0; b < 3; b++) {
        List<String> items = new ArrayList<>();
        for (int s = 0; s < 500; s++) {
          items.add(
              "{\"sensorId\":\"sr-" + s + "\",\"readingId\":\"r" + b + "\",\"value\":" + b + "}");
        }
        ApiClient.Reply r =
            api.post(
                "/readings",
                "application/json",
                "[" + String.join(",", items) + "]",
                Duration.ofSeconds(60));
        assertEquals(202, r.status(), r.raw().body());
      }
      ReadModelOffsets.awaitAtHead(db, MODELS, 1, Duration.ofSeconds(60));
      long events = count(db, "SELECT COUNT(*) FROM event_tag");
      long read = journalEventsRead(api);
      assertTrue(events >= 1_500, "journal events: " + events);
      System.out.println(
          "shared reader "
              + shared
              + ": "
              + read
              + " events read for "
              + events
              + " in the journal");
      if (shared.equals("on")) {
        assertTrue(
            read >= events && read < 2 * events,
            read + " events read for " + events + " journal events: not once each");
      } else {
        assertTrue(read >= MODELS.size() * events, read + " read for " + events + " events");
      }
      // a rebuild of every model at once: one pass over the journal with the shared reader (two at
      // most, if one model's rebuild joins its reader a poll after the others), four without
      for (String model : MODELS) {
        assertEquals(202, api.postEmpty("/admin/projections/" + model + "/rebuild").status());
      }
      ReadModelOffsets.awaitAtHead(db, MODELS, 2, Duration.ofSeconds(90));
      long rebuildReads = journalEventsRead(api) - read;
      System.out.println(
          "shared reader " + shared + ": rebuilding all read " + rebuildReads + " events");
      if (shared.equals("on")) {
        assertTrue(rebuildReads < 3 * events, rebuildReads + " read to rebuild " + events);
      } else {
        assertTrue(rebuildReads >= MODELS.size() * events, rebuildReads + " read, " + events);
      }
    } finally {
      if (node != null) {
        node.stop();
      }
      db.drop();
    }
  }

  private static long journalEventsRead(ApiClient api) {
    String body = api.metrics();
    String prefix = "sensors_projection_journal_events_read_total ";
    return body.lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> (long) Double.parseDouble(l.substring(prefix.length()).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + "in /metrics:\n" + body));
  }

  private static long count(TestPostgres db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
