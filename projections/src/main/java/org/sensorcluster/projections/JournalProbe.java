package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the journal's and the projections' positions straight from their tables (identifiers
 * quoted: the H2 schema of persistence-jdbc and projection-jdbc uses quoted lower-case names).
 * Offsets are the journal's global {@code ordering}; each projection stores one per tag.
 */
final class JournalProbe {

  private JournalProbe() {}

  /** Highest ordering of an event with {@code tag}, 0 when none. */
  static long head(Connection c, String tag) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT MAX(\"event_id\") FROM \"event_tag\" WHERE \"tag\" = ?")) {
      ps.setString(1, tag);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** Offsets per projection name and tag ("name/tag" -> ordering). */
  static Map<String, Long> offsets(Connection c) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT \"projection_name\", \"projection_key\", \"current_offset\""
                    + " FROM \"pekko_projection_offset_store\"")) {
      while (rs.next()) {
        try {
          out.put(rs.getString(1) + "/" + rs.getString(2), Long.parseLong(rs.getString(3).trim()));
        } catch (NumberFormatException e) {
          // not a sequence offset: not one of ours
        }
      }
    }
    return out;
  }

  /** Paused projection instances ("name/tag"), from Pekko Projections' management table. */
  static java.util.Set<String> paused(Connection c) throws SQLException {
    java.util.Set<String> out = new java.util.HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT \"projection_name\", \"projection_key\""
                    + " FROM \"pekko_projection_management\" WHERE \"paused\" = TRUE")) {
      while (rs.next()) {
        out.add(rs.getString(1) + "/" + rs.getString(2));
      }
    }
    return out;
  }

  /** Events of {@code tag} with ordering in (after, upTo], counting at most {@code cap}. */
  static long countBetween(Connection c, String tag, long after, long upTo, long cap)
      throws SQLException {
    if (upTo <= after) {
      return 0;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*) FROM (SELECT 1 FROM \"event_tag\""
                + " WHERE \"tag\" = ? AND \"event_id\" > ? AND \"event_id\" <= ? LIMIT "
                + cap
                + ") x")) {
      ps.setString(1, tag);
      ps.setLong(2, after);
      ps.setLong(3, upTo);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Write time (epoch ms) of the first event of {@code tag} after {@code offset}, or -1 when none.
   */
  static long firstWriteAfter(Connection c, String tag, long offset) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT j.\"write_timestamp\" FROM \"event_tag\" t"
                + " JOIN \"event_journal\" j ON j.\"ordering\" = t.\"event_id\""
                + " WHERE t.\"tag\" = ? AND t.\"event_id\" > ? ORDER BY t.\"event_id\" LIMIT 1")) {
      ps.setString(1, tag);
      ps.setLong(2, offset);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  /** The ordering of a sensor's event, or -1 when it is not in the journal. */
  static long orderingOf(Connection c, String persistenceId, long seqNr) throws SQLException {
    return firstLong(
        c,
        "SELECT \"ordering\" FROM \"event_journal\" WHERE \"persistence_id\" = ?"
            + " AND \"sequence_number\" = ?",
        -1,
        persistenceId,
        seqNr);
  }

  /**
   * The highest sequence number of {@code persistenceId} in the journal, 0 when it has no events.
   */
  static long highestSequenceNr(Connection c, String persistenceId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT MAX(\"sequence_number\") FROM \"event_journal\""
                + " WHERE \"persistence_id\" = ?")) {
      ps.setString(1, persistenceId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** The offset of projection {@code name} for {@code tag}, 0 when it stored none. */
  static long offset(Connection c, String name, String tag) throws SQLException {
    return firstLong(
        c,
        "SELECT \"current_offset\" FROM \"pekko_projection_offset_store\""
            + " WHERE \"projection_name\" = ? AND \"projection_key\" = ?",
        0,
        name,
        tag);
  }

  /**
   * The first column of the first row as a number (offsets are stored as text), or {@code none}.
   */
  private static long firstLong(Connection c, String sql, long none, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Long.parseLong(rs.getString(1).trim()) : none;
      }
    }
  }
}
