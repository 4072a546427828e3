package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of Pekko Projections' offset and management tables that the {@link SharedReader} writes
 * for each read model it feeds: the same rows, in the same format ({@code SEQ} offsets), that a
 * projection of that model alone would keep, so lag, rebuild, admin and a model run on its own read
 * them unchanged. Offsets move by compare-and-set: a write that finds another value than the one
 * this reader read or wrote last fails its transaction (another reader moved it).
 */
final class MemberOffsets {

  private static final String OFFSETS = "\"pekko_projection_offset_store\"";
  private static final String MANAGEMENT = "\"pekko_projection_management\"";

  private MemberOffsets() {}

  /** One member's offset move: from {@code expected} (null: no row yet) to {@code next}. */
  record Move(String name, Long expected, long next) {}

  /**
   * Applies {@code moves} for {@code tag} in the caller's transaction, the updates as one batch.
   *
   * @throws IllegalStateException when a stored offset is not the move's {@code expected}
   */
  static void advance(Connection c, String tag, List<Move> moves, long nowMillis)
      throws SQLException {
    List<Move> updates = new ArrayList<>();
    for (Move m : moves) {
      if (m.expected() != null) {
        updates.add(m);
        continue;
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO "
                  + OFFSETS
                  + " (\"projection_name\", \"projection_key\", \"current_offset\", \"manifest\","
                  + " \"mergeable\", \"last_updated\") VALUES (?, ?, ?, 'SEQ', FALSE, ?)")) {
        ps.setString(1, m.name());
        ps.setString(2, tag);
        ps.setString(3, Long.toString(m.next()));
        ps.setLong(4, nowMillis);
        ps.executeUpdate(); // a row inserted meanwhile fails this on the primary key
      }
    }
    if (updates.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + OFFSETS
                + " SET \"current_offset\" = ?, \"last_updated\" = ?"
                + " WHERE \"projection_name\" = ? AND \"projection_key\" = ?"
                + " AND \"current_offset\" = ?")) {
      for (Move m : updates) {
        ps.setString(1, Long.toString(m.next()));
        ps.setLong(2, nowMillis);
        ps.setString(3, m.name());
        ps.setString(4, tag);
        ps.setString(5, Long.toString(m.expected()));
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int k = 0; k < counts.length; k++) {
        if (counts[k] != 1) {
          throw new IllegalStateException(
              "the offset of "
                  + updates.get(k).name()
                  + " for "
                  + tag
                  + " is no longer "
                  + updates.get(k).expected()
                  + ": another reader moved it; this reader restarts from the stored offsets");
        }
      }
    }
  }

  /** Sets the paused flag of {@code name} for {@code tag}. */
  static void setPaused(
      Connection c, Dialect dialect, String name, String tag, boolean paused, long nowMillis)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            dialect.upsert(
                MANAGEMENT,
                List.of(
                    "\"projection_name\"", "\"projection_key\"", "\"paused\"", "\"last_updated\""),
                List.of("\"projection_name\"", "\"projection_key\"")))) {
      ps.setString(1, name);
      ps.setString(2, tag);
      ps.setBoolean(3, paused);
      ps.setLong(4, nowMillis);
      ps.executeUpdate();
    }
  }
}
