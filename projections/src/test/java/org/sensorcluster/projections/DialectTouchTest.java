package org.sensorcluster.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Dialect#touch} on both databases: the first touch inserts the row with the database's
 * time, a later one moves that time forward and adds no row.
 */
class DialectTouchTest {

  @TempDir Path dir;

  @Test
  void touchInsertsThenMovesTheTimeOnPostgres() throws Exception {
    check(TestDatabases.postgres());
  }

  @Test
  void touchInsertsThenMovesTheTimeOnH2() throws Exception {
    check(TestDatabases.h2(dir));
  }

  private static void check(TestDatabases.Handle h) throws Exception {
    try (Connection c = h.db().connection()) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE seen (address VARCHAR(64) PRIMARY KEY, last_seen "
                + h.db().dialect().timestampType()
                + " NOT NULL)");
      }
      c.commit();
      String sql = h.db().dialect().touch("seen", "address", "last_seen");
      touch(c, sql, "a");
      OffsetDateTime first = lastSeen(c, "a");
      Thread.sleep(20);
      touch(c, sql, "a");
      touch(c, sql, "b");
      assertTrue(lastSeen(c, "a").isAfter(first), "the second touch moved the time");
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM seen")) {
        rs.next();
        assertEquals(2, rs.getInt(1));
      }
    } finally {
      h.drop().run();
    }
  }

  private static void touch(Connection c, String sql, String key) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key);
      ps.executeUpdate();
    }
    c.commit(); // CURRENT_TIMESTAMP is the transaction's start: one transaction per touch
  }

  private static OffsetDateTime lastSeen(Connection c, String key) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT last_seen FROM seen WHERE address = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        return rs.getObject(1, OffsetDateTime.class);
      }
    }
  }
}
