package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.testing.TestPostgres;

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

  /**
   * With autovacuum off the node ANALYZEs the journal tables itself (ADR 5). Autovacuum can only be
   * switched off for a whole server, which is shared (and on by default), so the test switches it
   * off where it can without touching anything else: with the storage parameter {@code
   * autovacuum_enabled = off} on the journal tables of its own database, which the node honours as
   * well; restored afterwards. The test then waits for the node's ANALYZE: a generous deadline for
   * something that happens right after start, not a threshold.
   */
  @Test
  void journal_tables_get_planner_statistics_when_autovacuum_is_off_for_them() throws Exception {
    TestNodes.start(storage()).stop(); // creates the tables
    List<String> tables = List.of("event_journal", "event_tag");
    try {
      OffsetDateTime since;
      try (Connection c = pg.connect();
          Statement s = c.createStatement()) {
        for (String t : tables) {
          s.execute("ALTER TABLE " + t + " SET (autovacuum_enabled = off)");
        }
        // ALTER TABLE waits for an ANALYZE still running (they take the same lock): any analysis
        // after this instant is the next node's
        try (ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
          rs.next();
          since = rs.getObject(1, OffsetDateTime.class);
        }
      }
      SensorNode node = TestNodes.start(storage());
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> analyzed = analyzedSince(tables, since);
        while (!analyzed.equals(tables) && System.nanoTime() < deadline) {
          Thread.sleep(100);
          analyzed = analyzedSince(tables, since);
        }
        assertEquals(
            tables,
            analyzed,
            "tables the node analyzed after it started with autovacuum off for "
                + tables
                + " (autovacuum on the server: "
                + serverAutovacuum()
                + ")");
      } finally {
        node.stop();
      }
    } finally {
      try (Connection c = pg.connect();
          Statement s = c.createStatement()) {
        for (String t : tables) {
          s.execute("ALTER TABLE " + t + " RESET (autovacuum_enabled)");
        }
      }
    }
  }

  /**
   * Which of {@code tables} were ANALYZEd (by hand, not by autovacuum) after {@code since}, sorted.
   */
  private List<String> analyzedSince(List<String> tables, OffsetDateTime since)
      throws SQLException {
    try (Connection c = pg.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT relname FROM pg_stat_user_tables"
                    + " WHERE relname = ANY (?) AND last_analyze > ? ORDER BY relname")) {
      ps.setArray(1, c.createArrayOf("text", tables.toArray()));
      ps.setObject(2, since);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  private String serverAutovacuum() throws SQLException {
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('autovacuum')")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Override
  Config storage() {
    return TestNodes.postgres(pg);
  }

  @Override
  long journalEventsOf(String sensorId) throws Exception {
    try (Connection c = pg.connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(*) FROM event_journal WHERE persistence_id = ?")) {
      ps.setString(1, "Sensor|" + sensorId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
