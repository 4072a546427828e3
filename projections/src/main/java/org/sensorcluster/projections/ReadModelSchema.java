package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * DDL of the read models: the generation table and, per model, the tables of one generation.
 * Every statement is idempotent, so it is safe on every start and on every node.
 */
public final class ReadModelSchema {

  private ReadModelSchema() {}

  static String ts(Dialect d) {
    return d == Dialect.POSTGRES ? "TIMESTAMPTZ" : "TIMESTAMP WITH TIME ZONE";
  }

  static final String DBL = "DOUBLE PRECISION";

  /**
   * Sums of rollups are exact decimals of values rounded to {@link RollupsHandler#SUM_SCALE} places:
   * addition is then associative, so the sum does not depend on how the journal was grouped into
   * transactions, and a rebuilt rollup equals the incremental one digit for digit.
   */
  static String sum(Dialect d) {
    return d == Dialect.POSTGRES ? "NUMERIC" : "NUMERIC(100000, " + RollupsHandler.SUM_SCALE + ")";
  }

  /** {@code read_model_generations}: which generation of each model serves queries, which is being built. */
  static void createGenerationTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS read_model_generations ("
          + " model VARCHAR(64) NOT NULL PRIMARY KEY,"
          + " active_gen INT NOT NULL,"
          + " building_gen INT,"
          + " next_gen INT NOT NULL,"
          + " retired_gen INT,"
          + " retired_at BIGINT,"
          + " build_started_at BIGINT)");
    }
  }

  /** The CREATE statements of {@code model}'s tables in generation {@code gen}. */
  static List<String> createStatements(ReadModel model, int gen, Dialect d) {
    List<String> out = new ArrayList<>();
    String ts = ts(d);
    switch (model) {
      case SENSOR_LATEST -> {
        String t = ReadModel.table("sensor_latest", gen);
        out.add("CREATE TABLE IF NOT EXISTS " + t + " ("
            + " sensor_id VARCHAR(128) NOT NULL PRIMARY KEY,"
            + " reading_count BIGINT NOT NULL,"
            + " last_reading_id VARCHAR(128),"
            + " last_value " + DBL + ","
            + " last_ts " + ts + ","
            + " last_recorded_at " + ts + ","
            + " last_seq_nr BIGINT NOT NULL,"
            + " registered BOOLEAN NOT NULL,"
            + " name VARCHAR(256), type VARCHAR(64), unit VARCHAR(256),"
            + " lat " + DBL + ", lon " + DBL + ","
            + " th_min " + DBL + ", th_max " + DBL + ", th_hyst " + DBL + ","
            + " alert_number BIGINT, alert_bound VARCHAR(16), alert_reading_id VARCHAR(128),"
            + " alert_value " + DBL + ", alert_reading_ts " + ts + ", alert_raised_at " + ts + ","
            + " alert_th_min " + DBL + ", alert_th_max " + DBL + ", alert_th_hyst " + DBL + ","
            + " decommissioned_at " + ts + ","
            + " updated_at " + ts + " NOT NULL)");
        out.add("CREATE INDEX IF NOT EXISTS " + t + "_type ON " + t + " (type, sensor_id)");
        String l = ReadModel.table("sensor_labels", gen);
        out.add("CREATE TABLE IF NOT EXISTS " + l + " ("
            + " sensor_id VARCHAR(128) NOT NULL,"
            + " label_key VARCHAR(64) NOT NULL,"
            + " label_value VARCHAR(256) NOT NULL,"
            + " PRIMARY KEY (sensor_id, label_key))");
        out.add("CREATE INDEX IF NOT EXISTS " + l + "_kv ON " + l + " (label_key, label_value, sensor_id)");
      }
      case READINGS -> {
        String t = ReadModel.table("readings", gen);
        // (seq_nr, idx) identifies a reading; ts leads so range scans of one sensor use the key alone
        out.add("CREATE TABLE IF NOT EXISTS " + t + " ("
            + " sensor_id VARCHAR(128) NOT NULL,"
            + " ts " + ts + " NOT NULL,"
            + " seq_nr BIGINT NOT NULL,"
            + " idx INT NOT NULL,"
            + " reading_value " + DBL + " NOT NULL,"
            + " reading_id VARCHAR(128),"
            + " PRIMARY KEY (sensor_id, ts, seq_nr, idx))");
      }
      case ROLLUPS -> {
        for (String base : List.of("rollup_1m", "rollup_1h")) {
          out.add("CREATE TABLE IF NOT EXISTS " + ReadModel.table(base, gen) + " ("
              + " sensor_id VARCHAR(128) NOT NULL,"
              + " bucket_start " + ts + " NOT NULL,"
              + " reading_count BIGINT NOT NULL,"
              + " value_sum " + sum(d) + " NOT NULL,"
              + " value_min " + DBL + " NOT NULL,"
              + " value_max " + DBL + " NOT NULL,"
              + " PRIMARY KEY (sensor_id, bucket_start))");
        }
        // per tag, so the projection instances of different tags never update the same row
        out.add("CREATE TABLE IF NOT EXISTS " + ReadModel.table("fleet_rollup_1m", gen) + " ("
            + " tag VARCHAR(64) NOT NULL,"
            + " bucket_start " + ts + " NOT NULL,"
            + " reading_count BIGINT NOT NULL,"
            + " PRIMARY KEY (tag, bucket_start))");
      }
      case ALERTS -> {
        String t = ReadModel.table("alerts", gen);
        out.add("CREATE TABLE IF NOT EXISTS " + t + " ("
            + " sensor_id VARCHAR(128) NOT NULL,"
            + " alert_number BIGINT NOT NULL,"
            + " bound VARCHAR(16) NOT NULL,"
            + " raised_at " + ts + " NOT NULL,"
            + " raised_value " + DBL + " NOT NULL,"
            + " raised_reading_id VARCHAR(128),"
            + " raised_reading_ts " + ts + " NOT NULL,"
            + " th_min " + DBL + ", th_max " + DBL + ", th_hyst " + DBL + ","
            + " cleared_at " + ts + ","
            + " cleared_value " + DBL + ","
            + " cleared_reading_ts " + ts + ","
            + " PRIMARY KEY (sensor_id, alert_number))");
        out.add("CREATE INDEX IF NOT EXISTS " + t + "_order ON " + t + " (raised_at DESC, sensor_id, alert_number)");
        out.add("CREATE INDEX IF NOT EXISTS " + t + "_sensor ON " + t + " (sensor_id, raised_at DESC)");
      }
      default -> throw new IllegalStateException(model.name());
    }
    return out;
  }

  static void createTables(Connection c, ReadModel model, int gen, Dialect d) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String ddl : createStatements(model, gen, d)) {
        s.execute(ddl);
      }
    }
  }

  static void dropTables(Connection c, ReadModel model, int gen) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String t : model.tables(gen)) {
        s.execute("DROP TABLE IF EXISTS " + t);
      }
    }
  }
}
