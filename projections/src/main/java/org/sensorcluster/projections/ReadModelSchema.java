package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * DDL of the read side: the generation table here, each model's tables in its package ({@link
 * ReadModel#createStatements}). Every statement is idempotent, so it is safe on every start and on
 * every node.
 */
public final class ReadModelSchema {

  private ReadModelSchema() {}

  /**
   * {@code read_model_generations}: which generation of each model serves queries, which is being
   * built.
   */
  static void createGenerationTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS read_model_generations ("
              + " model VARCHAR(64) NOT NULL PRIMARY KEY,"
              + " active_gen INT NOT NULL,"
              + " building_gen INT,"
              + " next_gen INT NOT NULL,"
              + " retired_gen INT,"
              + " retired_at BIGINT,"
              + " build_started_at BIGINT)");
    }
  }

  static void createTables(Connection c, ReadModel model, int gen, Dialect d) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String ddl : model.createStatements(gen, d)) {
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
