package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.sensorcluster.node.SensorNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The node on real PostgreSQL, in a database of its own. */
class PostgresNodeRecoveryTest extends NodeRecoveryContract {

  private static TestPostgres pg;

  @BeforeAll
  static void createDatabase() {
    pg = TestPostgres.createDatabase("recovery");
  }

  @AfterAll
  static void dropDatabase() {
    if (pg != null) {
      pg.drop();
    }
  }

  @Test
  void journal_tables_get_planner_statistics_when_autovacuum_is_off() throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT current_setting('autovacuum')")) {
      rs.next();
      Assumptions.assumeTrue("off".equals(rs.getString(1)), "autovacuum is on: the node leaves statistics to it");
    }
    SensorNode node = TestNodes.start(storage());
    try {
      // The first ANALYZE runs right after start; poll briefly for it.
      long deadline = System.nanoTime() + 10_000_000_000L;
      boolean analyzed = false;
      while (!analyzed && System.nanoTime() < deadline) {
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"
                 + " AND relname IN ('event_journal', 'event_tag')")) {
          rs.next();
          analyzed = rs.getInt(1) == 2;
        }
        Thread.sleep(100);
      }
      assertTrue(analyzed, "event_journal and event_tag were analyzed by the node");
    } finally {
      node.stop();
    }
  }

  @Override
  Config storage() {
    return TestNodes.postgres(pg);
  }

  @Override
  long journalEventsOf(String sensorId) throws Exception {
    try (Connection c = pg.connect();
         PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM event_journal WHERE persistence_id = ?")) {
      ps.setString(1, "Sensor|" + sensorId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
