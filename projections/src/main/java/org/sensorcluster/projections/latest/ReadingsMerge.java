package org.sensorcluster.projections.latest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sensorcluster.projections.Sql;

/**
 * The merge of {@link ReadingsDelta}s into the rows of {@code sensor_latest_g<N>} in SQL, with the
 * deltas sent as array parameters ({@link
 * org.sensorcluster.projections.Dialect#joinsArrayParameters()}: PostgreSQL only).
 */
final class ReadingsMerge {

  private final String applyReadingsUpdate;
  private final String applyReadingsInsert;

  ReadingsMerge(String table) {
    String deltas =
        " unnest(?::text[], ?::bigint[], ?::text[], ?::float8[], ?::text[]::timestamptz[],"
            + " ?::text[]::timestamptz[], ?::bigint[], ?::bigint[]) AS d(sensor_id, n, rid, val, ts, rec, first_seq, last_seq)";
    String newer = "t.last_ts IS NULL OR d.ts >= t.last_ts";
    this.applyReadingsUpdate =
        "UPDATE "
            + table
            + " AS t SET reading_count = t.reading_count + d.n,"
            + " last_reading_id = CASE WHEN "
            + newer
            + " THEN d.rid ELSE t.last_reading_id END,"
            + " last_value = CASE WHEN "
            + newer
            + " THEN d.val ELSE t.last_value END,"
            + " last_ts = CASE WHEN "
            + newer
            + " THEN d.ts ELSE t.last_ts END,"
            + " last_recorded_at = d.rec, last_seq_nr = d.last_seq, updated_at = d.rec, silent_since = NULL"
            + " FROM"
            + deltas
            + " WHERE t.sensor_id = d.sensor_id AND t.last_seq_nr < d.first_seq RETURNING t.sensor_id";
    this.applyReadingsInsert =
        "INSERT INTO "
            + table
            + " (sensor_id, reading_count, last_reading_id, last_value,"
            + " last_ts, last_recorded_at, last_seq_nr, registered, updated_at)"
            + " SELECT d.sensor_id, d.n, d.rid, d.val, d.ts, d.rec, d.last_seq, FALSE, d.rec FROM"
            + deltas
            + " ON CONFLICT (sensor_id) DO NOTHING RETURNING sensor_id";
  }

  /**
   * Merges each delta into its row in SQL, without reading the row first: an UPDATE joined to the
   * deltas where the row has none of the delta's events yet, then an INSERT of the rows that do not
   * exist. Same result as folding the events into the loaded row with {@link LatestRow#apply}
   * (timestamps compared at PostgreSQL's microsecond precision).
   *
   * @return the sensors done; the others (a row that already holds some of the events, i.e. a
   *     redelivery) must take the load-fold-store path
   */
  Set<String> apply(Connection c, Collection<ReadingsDelta> deltas) throws SQLException {
    Set<String> done = new HashSet<>();
    if (deltas.isEmpty()) {
      return done;
    }
    applyDeltas(c, applyReadingsUpdate, deltas, done);
    List<ReadingsDelta> rest = new ArrayList<>();
    for (ReadingsDelta d : deltas) {
      if (!done.contains(d.sensorId())) {
        rest.add(d);
      }
    }
    if (!rest.isEmpty()) {
      applyDeltas(c, applyReadingsInsert, rest, done);
    }
    return done;
  }

  /**
   * Runs {@code sql} with the deltas as its 8 array parameters; adds the sensor ids it returns to
   * {@code done}.
   */
  private static void applyDeltas(
      Connection c, String sql, Collection<ReadingsDelta> deltas, Set<String> done)
      throws SQLException {
    int n = deltas.size();
    Object[] ids = new Object[n];
    Object[] counts = new Object[n];
    Object[] readingIds = new Object[n];
    Object[] values = new Object[n];
    Object[] timestamps = new Object[n];
    Object[] recorded = new Object[n];
    Object[] firsts = new Object[n];
    Object[] lasts = new Object[n];
    int i = 0;
    for (ReadingsDelta d : deltas) {
      ids[i] = d.sensorId();
      counts[i] = d.readings();
      readingIds[i] = d.latest().readingId();
      values[i] = d.latest().value();
      timestamps[i] = Sql.pgTimestampText(d.latest().timestamp());
      recorded[i] = Sql.pgTimestampText(d.recordedAt());
      firsts[i] = d.firstSeqNr();
      lasts[i] = d.lastSeqNr();
      i++;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", ids));
      ps.setArray(2, c.createArrayOf("int8", counts));
      ps.setArray(3, c.createArrayOf("text", readingIds));
      ps.setArray(4, c.createArrayOf("float8", values));
      ps.setArray(5, c.createArrayOf("text", timestamps));
      ps.setArray(6, c.createArrayOf("text", recorded));
      ps.setArray(7, c.createArrayOf("int8", firsts));
      ps.setArray(8, c.createArrayOf("int8", lasts));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          done.add(rs.getString(1));
        }
      }
    }
  }
}
