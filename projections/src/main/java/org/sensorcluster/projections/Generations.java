package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code read_model_generations} table: which generation of each read model answers queries,
 * which is being rebuilt, which was retired and waits to be dropped. Every change is one
 * conditional statement (PostgreSQL: under an advisory lock), so nodes racing do it once. {@link
 * #current} is this node's copy, refreshed by {@link #refresh()} (every 500 ms by default).
 */
public final class Generations {

  /** One model's row. */
  public record State(
      ReadModel model,
      int active,
      Integer building,
      int next,
      Integer retired,
      Long retiredAt,
      Long buildStartedAt) {}

  /** Serializes schema changes of concurrently starting nodes (PostgreSQL advisory lock key). */
  private static final long SCHEMA_LOCK = 0x5e4504c1L;

  private final ReadModelDatabase db;
  private final ReadModels models;

  /** By model name. */
  private volatile Map<String, State> current = Map.of();

  /** The generations of the {@link ReadModels#ALL} models. */
  public Generations(ReadModelDatabase db) {
    this(db, ReadModels.ALL);
  }

  public Generations(ReadModelDatabase db, ReadModels models) {
    this.db = db;
    this.models = models;
  }

  /** The models whose generations these are. */
  public ReadModels models() {
    return models;
  }

  /**
   * This node's latest copy of {@code model}'s row, or null before the first {@link #refresh()}.
   */
  public State current(ReadModel model) {
    return current.get(model.modelName());
  }

  /**
   * Creates the generation table, a row per model (generation 1) and the tables of every live
   * generation.
   */
  public synchronized void initialize() throws SQLException {
    try (Connection c = db.connection()) {
      try {
        lock(c);
        ReadModelSchema.createGenerationTable(c);
        DeadLetters.createTable(c);
        for (ReadModel m : models) {
          State s = read(c, m);
          if (s == null) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO read_model_generations"
                        + " (model, active_gen, next_gen) VALUES (?, 1, 2)")) {
              ps.setString(1, m.modelName());
              ps.executeUpdate();
            }
            s = new State(m, 1, null, 2, null, null, null);
          }
          ReadModelSchema.createTables(c, m, s.active(), db.dialect());
          if (s.building() != null) {
            ReadModelSchema.createTables(c, m, s.building(), db.dialect());
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
    refresh();
  }

  /** Re-reads every model's row into {@link #current}; returns them by model name. */
  public Map<String, State> refresh() throws SQLException {
    Map<String, State> fresh = new HashMap<>();
    try (Connection c = db.connection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT model, active_gen, building_gen, next_gen, retired_gen, retired_at,"
                    + " build_started_at FROM read_model_generations")) {
      while (rs.next()) {
        State st = state(rs);
        if (st != null) {
          fresh.put(st.model().modelName(), st);
        }
      }
      c.commit();
    }
    current = Map.copyOf(fresh);
    return current;
  }

  /**
   * Starts a rebuild of {@code model}: creates the (empty) tables of its next generation and marks
   * it building. Tables of a generation still waiting in retirement are dropped now.
   *
   * @return the generation being built
   * @throws IllegalStateException when the model is already being rebuilt
   */
  public synchronized int startRebuild(ReadModel model, long nowMillis) throws SQLException {
    try (Connection c = db.connection()) {
      try {
        lock(c);
        State s = read(c, model);
        if (s == null) {
          throw new IllegalStateException(
              "read model " + model.modelName() + " is not initialized");
        }
        if (s.building() != null) {
          throw new IllegalStateException(
              model.modelName() + " is already being rebuilt (generation " + s.building() + ")");
        }
        int gen = s.next();
        if (s.retired() != null) {
          dropGeneration(c, model, s.retired());
        }
        dropGeneration(c, model, gen); // leftovers of an attempt that failed before it was marked
        ReadModelSchema.createTables(c, model, gen, db.dialect());
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
          if (ps.executeUpdate() != 1) {
            throw new IllegalStateException(model.modelName() + " is already being rebuilt");
          }
        }
        c.commit();
        return gen;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } finally {
      refresh();
    }
  }

  /**
   * Makes {@code building} the active generation of {@code model}; false when another node did it
   * first.
   */
  public boolean swap(ReadModel model, int active, int building, long nowMillis)
      throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE read_model_generations SET active_gen = building_gen,"
                    + " building_gen = NULL, retired_gen = active_gen, retired_at = ?"
                    + " WHERE model = ? AND active_gen = ? AND building_gen = ?")) {
      ps.setLong(1, nowMillis);
      ps.setString(2, model.modelName());
      ps.setInt(3, active);
      ps.setInt(4, building);
      boolean swapped = ps.executeUpdate() == 1;
      c.commit();
      return swapped;
    } finally {
      refresh();
    }
  }

  /** Drops the tables and offsets of {@code model}'s retired generation {@code retired}. */
  public synchronized void dropRetired(ReadModel model, int retired) throws SQLException {
    try (Connection c = db.connection()) {
      try {
        lock(c);
        State s = read(c, model);
        if (s != null && s.retired() != null && s.retired() == retired) {
          dropGeneration(c, model, retired);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE read_model_generations SET retired_gen = NULL,"
                      + " retired_at = NULL WHERE model = ? AND retired_gen = ?")) {
            ps.setString(1, model.modelName());
            ps.setInt(2, retired);
            ps.executeUpdate();
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } finally {
      refresh();
    }
  }

  private void dropGeneration(Connection c, ReadModel model, int gen) throws SQLException {
    ReadModelSchema.dropTables(c, model, gen);
    for (String table :
        new String[] {"\"pekko_projection_offset_store\"", "\"pekko_projection_management\""}) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + table + " WHERE \"projection_name\" = ?")) {
        ps.setString(1, model.projectionName(gen));
        ps.executeUpdate();
      }
    }
  }

  private void lock(Connection c) throws SQLException {
    if (db.dialect() == Dialect.POSTGRES) {
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
      }
    }
  }

  private State read(Connection c, ReadModel m) throws SQLException {
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
