package org.sensorcluster.node.it;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
