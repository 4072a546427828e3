package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the read-model tables when missing. Safe to run on every start and on every node. */
public final class ReadModelSchema {

  private ReadModelSchema() {}

  public static void createIfMissing(ReadModelDatabase db) throws SQLException {
    String timestamp = db.dialect() == Dialect.POSTGRES ? "TIMESTAMPTZ" : "TIMESTAMP WITH TIME ZONE";
    String dbl = "DOUBLE PRECISION";
    try (Connection c = db.connection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS sensor_latest ("
          + " sensor_id VARCHAR(128) NOT NULL PRIMARY KEY,"
          + " reading_count BIGINT NOT NULL,"
          + " last_reading_id VARCHAR(128),"
          + " last_value " + dbl + " NOT NULL,"
          + " last_ts " + timestamp + " NOT NULL,"
          + " last_seq_nr BIGINT NOT NULL,"
          + " updated_at " + timestamp + " NOT NULL)");
      c.commit();
    }
  }
}
