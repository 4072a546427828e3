package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.sensorcluster.projections.Generations.State;

/**
 * The statements on the rows of {@code read_model_generations}, each on the caller's connection and
 * in its transaction. Every change is conditional on the row {@link Generations} expects, so of
 * nodes racing only one changes it.
 */
final class GenerationRows {

  private final ReadModels models;

  GenerationRows(ReadModels models) {
    this.models = models;
  }

  /** Inserts {@code m}'s first row (generation 1 active) and returns it. */
  State insertFirst(Connection c, ReadModel m) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO read_model_generations"
                + " (model, active_gen, next_gen) VALUES (?, 1, 2)")) {
      ps.setString(1, m.modelName());
      ps.executeUpdate();
    }
    return new State(m, 1, null, 2, null, null, null);
  }

  /** Every known model's row, by model name (rows of models not in {@link #models} are skipped). */
  Map<String, State> readAll(Connection c) throws SQLException {
    Map<String, State> out = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT model, active_gen, building_gen, next_gen, retired_gen, retired_at,"
                    + " build_started_at FROM read_model_generations")) {
      while (rs.next()) {
        State st = state(rs);
        if (st != null) {
          out.put(st.model().modelName(), st);
        }
      }
    }
    return out;
  }

  /** {@code m}'s row, or null when it has none. */
  State read(Connection c, ReadModel m) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT model, active_gen, building_gen, next_gen, retired_gen,"
                + " retired_at, build_started_at FROM read_model_generations WHERE model = ?")) {
      ps.setString(1, m.modelName());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? state(rs) : null;
      }
    }
  }

  /**
   * Marks {@code gen} building (and forgets the retired generation); false when {@code model} is
   * building already or {@code gen} is not its next generation.
   */
  boolean markBuilding(Connection c, ReadModel model, int gen, long nowMillis) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE read_model_generations SET building_gen = ?,"
                + " next_gen = ?, build_started_at = ?, retired_gen = NULL, retired_at = NULL"
                + " WHERE model = ? AND building_gen IS NULL AND next_gen = ?")) {
      ps.setInt(1, gen);
      ps.setInt(2, gen + 1);
      ps.setLong(3, nowMillis);
      ps.setString(4, model.modelName());
      ps.setInt(5, gen);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Makes {@code building} active and retires {@code active}; false when the row no longer has
   * these generations.
   */
  boolean swap(Connection c, ReadModel model, int active, int building, long nowMillis)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE read_model_generations SET active_gen = building_gen,"
                + " building_gen = NULL, retired_gen = active_gen, retired_at = ?"
                + " WHERE model = ? AND active_gen = ? AND building_gen = ?")) {
      ps.setLong(1, nowMillis);
      ps.setString(2, model.modelName());
      ps.setInt(3, active);
      ps.setInt(4, building);
      return ps.executeUpdate() == 1;
    }
  }

  /** Forgets {@code model}'s retired generation {@code retired} (once its tables are dropped). */
  void clearRetired(Connection c, ReadModel model, int retired) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE read_model_generations SET retired_gen = NULL,"
                + " retired_at = NULL WHERE model = ? AND retired_gen = ?")) {
      ps.setString(1, model.modelName());
      ps.setInt(2, retired);
      ps.executeUpdate();
    }
  }

  private State state(ResultSet rs) throws SQLException {
    ReadModel m = models.named(rs.getString(1));
    if (m == null) {
      return null;
    }
    return new State(
        m,
        rs.getInt(2),
        rs.getObject(3, Integer.class),
        rs.getInt(4),
        rs.getObject(5, Integer.class),
        rs.getObject(6, Long.class),
        rs.getObject(7, Long.class));
  }
}
