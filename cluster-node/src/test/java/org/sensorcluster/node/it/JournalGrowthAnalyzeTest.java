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
import org.junit.jupiter.api.Test;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.testing.TestPostgres;

/**
 * A young journal gets planner statistics while it grows (ADR 5, {@code JournalGrowth}): with
 * autovacuum off for the journal table and the periodic ANALYZE an hour away, PostgreSQL's estimate
 * of the journal's rows follows 1,500 new events within seconds. Without the growth watch nothing
 * would update it (the estimate stays at the empty journal's).
 */
class JournalGrowthAnalyzeTest {

  @Test
  void the_planner_learns_of_a_fast_growing_journal_within_seconds() throws Exception {
    TestPostgres db = TestPostgres.createDatabase("journal_growth");
    SensorNode node = null;
    try {
      node =
          TestNodes.start(
              ConfigFactory.parseString("sensors.db.analyze-interval = 1h")
                  .withFallback(TestNodes.postgres(db)));
      sql(db, "ALTER TABLE event_journal SET (autovacuum_enabled = off)");
      ApiClient api = new ApiClient(node.httpPort());
      for (int b = 0; b < 3; b++) {
        List<String> items = new ArrayList<>();
        for (int s = 0; s < 500; s++) {
          items.add("{\"sensorId\":\"g-" + b + "-" + s + "\",\"readingId\":\"r\",\"value\":1}");
        }
        ApiClient.Reply r =
            api.post(
                "/readings",
                "application/json",
                "[" + String.join(",", items) + "]",
                Duration.ofSeconds(60));
        assertEquals(202, r.status(), r.raw().body());
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      double rows = estimatedRows(db);
      while (rows < 1_000 && System.nanoTime() < deadline) {
        ApiClient.sleep(250);
        rows = estimatedRows(db);
      }
      assertTrue(rows >= 1_000, "planner's estimate of event_journal rows: " + rows);
    } finally {
      if (node != null) {
        node.stop();
      }
      db.drop();
    }
  }

  private static double estimatedRows(TestPostgres db) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT reltuples FROM pg_class WHERE relname = 'event_journal'")) {
      return rs.next() ? rs.getDouble(1) : -1;
    }
  }

  private static void sql(TestPostgres db, String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
