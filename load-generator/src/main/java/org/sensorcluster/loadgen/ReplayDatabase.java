package org.sensorcluster.loadgen;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ReplayProbe rebuild} reads from the node's PostgreSQL: the journal, the read models'
 * generations ({@code read_model_generations}) and the projections' committed offsets ({@code
 * pekko_projection_offset_store}).
 */
final class ReplayDatabase {

  private ReplayDatabase() {}

  /** The journal's events counted by type (the manifest's simple name), most frequent first. */
  static Map<String, Long> eventsByType(Connection c) {
    Map<String, Long> byType = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT event_ser_manifest, count(*) FROM event_journal GROUP BY 1 ORDER BY 2 DESC")) {
      while (rs.next()) {
        String m = rs.getString(1);
        byType.put(m == null ? "?" : m.substring(m.lastIndexOf('.') + 1), rs.getLong(2));
      }
    } catch (SQLException e) {
      byType.put("(by type unavailable: " + e.getMessage() + ")", 0L);
    }
    return byType;
  }

  /**
   * Whether projection {@code name} (one per model generation, keyed by tag) has committed, on
   * every tag, an offset at least the newest event of that tag: it has applied the whole journal.
   */
  static boolean caughtUp(Connection c, String name) throws SQLException {
    Map<String, Long> offsets = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT projection_key, current_offset FROM pekko_projection_offset_store WHERE projection_name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          offsets.put(rs.getString(1), Long.parseLong(rs.getString(2).trim()));
        }
      }
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT tag, max(event_id) FROM event_tag GROUP BY tag")) {
      while (rs.next()) {
        if (offsets.getOrDefault(rs.getString(1), 0L) < rs.getLong(2)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The models in {@code read_model_generations}: the node writes a row for each before it serves
   * any.
   */
  static List<String> modelsOf(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT model FROM read_model_generations")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** {active_gen, building_gen or 0}. */
  static int[] generation(Connection c, String model) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT active_gen, building_gen FROM read_model_generations WHERE model = ?")) {
      ps.setString(1, model);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no row for " + model + " in read_model_generations");
        }
        return new int[] {rs.getInt(1), rs.getInt(2)};
      }
    }
  }

  static long queryLong(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
