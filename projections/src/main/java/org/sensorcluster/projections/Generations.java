package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * The {@code read_model_generations} table: which generation of each read model answers queries,
 * which is being rebuilt, which was retired and waits to be dropped. Every change is one
 * conditional statement ({@link GenerationRows}; schema changes under the {@link
 * Dialect#lockTransaction} lock), so nodes racing do it once. {@link #current} is this node's copy,
 * refreshed by {@link #refresh()} (every 500 ms by default).
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
  private final GenerationRows rows;

  /** By model name. */
  private volatile Map<String, State> current = Map.of();

  private volatile java.util.Set<String> paused = java.util.Set.of();

  /** The generations of the {@link ReadModels#ALL} models. */
  public Generations(ReadModelDatabase db) {
    this(db, ReadModels.ALL);
  }

  public Generations(ReadModelDatabase db, ReadModels models) {
    this.db = db;
    this.models = models;
    this.rows = new GenerationRows(models);
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
          State s = rows.read(c, m);
          if (s == null) {
            s = rows.insertFirst(c, m);
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
    Map<String, State> fresh;
    try (Connection c = db.connection()) {
      fresh = rows.readAll(c);
      c.commit();
    }
    current = Map.copyOf(fresh);
    return current;
  }

  /** Re-reads the paused projections (Pekko Projections' management table) into {@link #paused}. */
  void refreshPaused() throws SQLException {
    try (Connection c = db.connection()) {
      try {
        paused = java.util.Set.copyOf(JournalProbe.paused(c));
      } finally {
        c.rollback();
      }
    }
  }

  /** Projection instances ("name/tag") paused in Pekko Projections' management table. */
  java.util.Set<String> paused() {
    return paused;
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
        State s = rows.read(c, model);
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
        if (!rows.markBuilding(c, model, gen, nowMillis)) {
          throw new IllegalStateException(model.modelName() + " is already being rebuilt");
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
    try (Connection c = db.connection()) {
      boolean swapped = rows.swap(c, model, active, building, nowMillis);
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
        State s = rows.read(c, model);
        if (s != null && s.retired() != null && s.retired() == retired) {
          dropGeneration(c, model, retired);
          rows.clearRetired(c, model, retired);
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
          c.prepareStatement("DELETE FROM " + table + " WHERE \"projection_name\" IN (?, ?)")) {
        ps.setString(1, model.projectionName(gen));
        ps.setString(2, model.projectionName(gen) + SharedReader.ALONE_SUFFIX);
        ps.executeUpdate();
      }
    }
  }

  private void lock(Connection c) throws SQLException {
    db.dialect().lockTransaction(c, SCHEMA_LOCK);
  }
}
