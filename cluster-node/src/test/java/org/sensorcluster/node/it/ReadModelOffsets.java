package org.sensorcluster.node.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sensorcluster.testing.TestPostgres;

/** Read-model offsets as the database holds them, for tests that wait for the read side. */
final class ReadModelOffsets {

  private ReadModelOffsets() {}

  /**
   * Waits until the offset of generation {@code gen} of every one of {@code models} is each tag's
   * newest event in {@code event_tag} (and there is one); fails after {@code within}.
   */
  static void awaitAtHead(TestPostgres pg, List<String> models, int gen, Duration within)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    String behind = "";
    while (System.nanoTime() < deadline) {
      Map<String, Long> heads = pairs(pg, "SELECT tag, MAX(event_id) FROM event_tag GROUP BY tag");
      Map<String, Long> offsets =
          pairs(
              pg,
              "SELECT projection_name || '/' || projection_key, CAST(current_offset AS BIGINT)"
                  + " FROM pekko_projection_offset_store");
      behind = "";
      for (String model : models) {
        for (Map.Entry<String, Long> h : heads.entrySet()) {
          Long at = offsets.get(model + "-g" + gen + "/" + h.getKey());
          if (at == null || at < h.getValue()) {
            behind += " " + model + "/" + h.getKey() + "@" + at + "<" + h.getValue();
          }
        }
      }
      if (behind.isEmpty() && !heads.isEmpty()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("read models behind the journal after " + within + ":" + behind);
  }

  /** The first column (a key) and the last (a number) of each row of {@code sql}. */
  static Map<String, Long> pairs(TestPostgres pg, String sql) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        out.put(columns == 1 ? "value" : rs.getString(1), rs.getLong(columns));
      }
    }
    return out;
  }
}
