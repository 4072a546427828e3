package org.sensorcluster.node.it;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.io.TempDir;

/** The node on its embedded default: an H2 file database in a fresh directory. */
class H2NodeRecoveryTest extends NodeRecoveryContract {

  @TempDir Path dataDir;

  @Override
  Config storage() {
    return TestNodes.h2(dataDir);
  }

  @Override
  long journalEventsOf(String sensorId) throws Exception {
    String url =
        "jdbc:h2:file:"
            + dataDir.toAbsolutePath().resolve("sensors")
            + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE";
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" = ?")) {
      ps.setString(1, "Sensor|" + sensorId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
