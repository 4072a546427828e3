package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.sensorcluster.domain.view.DeadLetter;

/**
 * The {@code projection_dead_letters} table: poison events a projection skipped, one row per
 * projection (model and generation), persistence id and sequence number, written in the transaction
 * that stores the offset past them (docs/adr/0016-poison-events.md). Also this node's count of
 * recordings per model, for the metric.
 */
public final class DeadLetters {

  static final String TABLE = "projection_dead_letters";

  /** Longest error text kept. */
  static final int MAX_ERROR = 2000;

  private final ConcurrentHashMap<String, LongAdder> recorded = new ConcurrentHashMap<>();

  static void createTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + TABLE
              + " ("
              + " projection VARCHAR(128) NOT NULL,"
              + " persistence_id VARCHAR(255) NOT NULL,"
              + " seq_nr BIGINT NOT NULL,"
              + " model VARCHAR(64) NOT NULL,"
              + " generation INT NOT NULL,"
              + " tag VARCHAR(64) NOT NULL,"
              + " journal_offset BIGINT NOT NULL,"
              + " error VARCHAR("
              + MAX_ERROR
              + ") NOT NULL,"
              + " recorded_at BIGINT NOT NULL,"
              + " PRIMARY KEY (projection, persistence_id, seq_nr))");
    }
  }

  /**
   * Inserts {@code d} unless that projection already recorded that event; true when inserted. Runs
   * on the projection's connection, so it commits or rolls back with the offset.
   */
  boolean record(Connection c, DeadLetter d) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + TABLE
                + " (projection, persistence_id, seq_nr, model, generation, tag, journal_offset, error, recorded_at)"
                + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "
                + TABLE
                + " WHERE projection = ? AND persistence_id = ? AND seq_nr = ?)")) {
      ps.setString(1, d.projection());
      ps.setString(2, d.persistenceId());
      ps.setLong(3, d.seqNr());
      ps.setString(4, d.model());
      ps.setInt(5, d.generation());
      ps.setString(6, d.tag());
      ps.setLong(7, d.offset());
      String error = d.error().length() > MAX_ERROR ? d.error().substring(0, MAX_ERROR) : d.error();
      ps.setString(8, error);
      ps.setLong(9, d.recordedAt());
      ps.setString(10, d.projection());
      ps.setString(11, d.persistenceId());
      ps.setLong(12, d.seqNr());
      boolean inserted = ps.executeUpdate() == 1;
      if (inserted) {
        recorded.computeIfAbsent(d.model(), k -> new LongAdder()).increment();
      }
      return inserted;
    }
  }

  /** Dead letters recorded by this node since it started, per model. */
  public Map<String, Long> recordedHere() {
    Map<String, Long> out = new TreeMap<>();
    recorded.forEach((model, n) -> out.put(model, n.sum()));
    return out;
  }

  /** Deletes one dead letter; true when there was one. */
  public static boolean discard(Connection c, String projection, String persistenceId, long seqNr)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM "
                + TABLE
                + " WHERE projection = ? AND persistence_id = ? AND seq_nr = ?")) {
      ps.setString(1, projection);
      ps.setString(2, persistenceId);
      ps.setLong(3, seqNr);
      return ps.executeUpdate() > 0;
    }
  }

  /** The dead letter of {@code projection} for that event, if any. */
  static java.util.Optional<DeadLetter> find(
      Connection c, String projection, String persistenceId, long seqNr) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM "
                + TABLE
                + " WHERE projection = ? AND persistence_id = ? AND seq_nr = ?")) {
      ps.setString(1, projection);
      ps.setString(2, persistenceId);
      ps.setLong(3, seqNr);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? java.util.Optional.of(row(rs)) : java.util.Optional.empty();
      }
    }
  }

  /** The most recent {@code limit} dead letters of every projection, newest first. */
  public static List<DeadLetter> list(Connection c, int limit) throws SQLException {
    List<DeadLetter> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM "
                + TABLE
                + " ORDER BY recorded_at DESC, projection, persistence_id, seq_nr LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
    }
    return out;
  }

  private static final String COLUMNS =
      "model, projection, generation, tag, persistence_id, seq_nr, journal_offset, error,"
          + " recorded_at";

  private static DeadLetter row(ResultSet rs) throws SQLException {
    return new DeadLetter(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        rs.getString(4),
        rs.getString(5),
        rs.getLong(6),
        rs.getLong(7),
        rs.getString(8),
        rs.getLong(9));
  }
}
