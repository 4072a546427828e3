package org.sensorcluster.projections.latest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Location;
import org.sensorcluster.domain.OpenAlert;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.projections.Dialect;
import org.sensorcluster.projections.ReadModel;
import org.sensorcluster.projections.Sql;

/**
 * Reads and writes whole rows of {@code sensor_latest_g<N>} with their {@code sensor_labels_g<N>}.
 */
public final class SensorLatestTable {

  static final List<String> COLUMNS =
      List.of(
          "sensor_id",
          "reading_count",
          "last_reading_id",
          "last_value",
          "last_ts",
          "last_recorded_at",
          "last_seq_nr",
          "registered",
          "name",
          "type",
          "unit",
          "lat",
          "lon",
          "th_min",
          "th_max",
          "th_hyst",
          "alert_number",
          "alert_bound",
          "alert_reading_id",
          "alert_value",
          "alert_reading_ts",
          "alert_raised_at",
          "alert_th_min",
          "alert_th_max",
          "alert_th_hyst",
          "decommissioned_at",
          "updated_at",
          "expected_interval_ms",
          "silent_since");
  static final String SELECT_COLUMNS = String.join(", ", COLUMNS);

  private final Dialect dialect;
  private final String table;
  private final String labels;
  private final String upsert;
  private final String applyReadingsUpdate;
  private final String applyReadingsInsert;

  public SensorLatestTable(Dialect dialect, int gen) {
    this.dialect = dialect;
    this.table = ReadModel.table("sensor_latest", gen);
    this.labels = ReadModel.table("sensor_labels", gen);
    this.upsert = Sql.upsert(dialect, table, COLUMNS, List.of("sensor_id"));
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
   * PostgreSQL only: merges each delta into its row in SQL, without reading the row first: an
   * UPDATE joined to the deltas where the row has none of the delta's events yet, then an INSERT of
   * the rows that do not exist. Same result as folding the events into the loaded row with {@link
   * LatestRow#apply} (timestamps compared at PostgreSQL's microsecond precision).
   *
   * @return the sensors done; the others (a row that already holds some of the events, i.e. a
   *     redelivery) must take the load-fold-store path
   */
  Set<String> applyReadings(Connection c, Collection<ReadingsDelta> deltas) throws SQLException {
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

  String table() {
    return table;
  }

  String labelsTable() {
    return labels;
  }

  /** The stored rows of {@code sensorIds} (absent ids are missing from the map). */
  public Map<String, LatestRow> load(Connection c, Collection<String> sensorIds)
      throws SQLException {
    Map<String, LatestRow> out = new HashMap<>();
    if (sensorIds.isEmpty()) {
      return out;
    }
    List<String> ids = new ArrayList<>(sensorIds);
    Map<String, Map<String, String>> labelsById = loadLabels(c, ids);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + SELECT_COLUMNS
                + " FROM "
                + table
                + " WHERE sensor_id IN ("
                + Sql.marks(ids.size())
                + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 1, ids.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          LatestRow row = map(rs, labelsById);
          out.put(row.sensorId(), row);
        }
      }
    }
    return out;
  }

  Map<String, Map<String, String>> loadLabels(Connection c, List<String> ids) throws SQLException {
    Map<String, Map<String, String>> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT sensor_id, label_key, label_value FROM "
                + labels
                + " WHERE sensor_id IN ("
                + Sql.marks(ids.size())
                + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 1, ids.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
              .put(rs.getString(2), rs.getString(3));
        }
      }
    }
    return out;
  }

  /** Maps the current row of {@code rs} (selected with {@link #SELECT_COLUMNS}). */
  static LatestRow map(ResultSet rs, Map<String, Map<String, String>> labelsById)
      throws SQLException {
    String id = rs.getString("sensor_id");
    Reading last = null;
    java.time.Instant lastTs = Sql.instant(rs, "last_ts");
    if (lastTs != null) {
      last = new Reading(rs.getString("last_reading_id"), lastTs, rs.getDouble("last_value"));
    }
    SensorMetadata metadata = null;
    if (rs.getBoolean("registered")) {
      Double lat = Sql.dbl(rs, "lat");
      Double lon = Sql.dbl(rs, "lon");
      Long intervalMs = Sql.lng(rs, "expected_interval_ms");
      metadata =
          new SensorMetadata(
              rs.getString("name"),
              rs.getString("type"),
              rs.getString("unit"),
              lat == null || lon == null ? null : new Location(lat, lon),
              labelsById.getOrDefault(id, Map.of()),
              thresholds(rs, "th_"),
              intervalMs == null ? null : Duration.ofMillis(intervalMs));
    }
    OpenAlert alert = null;
    Long alertNumber = Sql.lng(rs, "alert_number");
    if (alertNumber != null) {
      alert =
          new OpenAlert(
              alertNumber,
              AlertBound.valueOf(rs.getString("alert_bound")),
              new Reading(
                  rs.getString("alert_reading_id"),
                  Sql.instant(rs, "alert_reading_ts"),
                  rs.getDouble("alert_value")),
              thresholds(rs, "alert_th_"),
              Sql.instant(rs, "alert_raised_at"));
    }
    return new LatestRow(
        id,
        rs.getLong("reading_count"),
        last,
        Sql.instant(rs, "last_recorded_at"),
        rs.getLong("last_seq_nr"),
        metadata,
        alert,
        Sql.instant(rs, "decommissioned_at"),
        Sql.instant(rs, "updated_at"),
        Sql.instant(rs, "silent_since"));
  }

  private static Thresholds thresholds(ResultSet rs, String prefix) throws SQLException {
    Double hyst = Sql.dbl(rs, prefix + "hyst");
    return hyst == null
        ? null
        : new Thresholds(Sql.dbl(rs, prefix + "min"), Sql.dbl(rs, prefix + "max"), hyst);
  }

  /** Writes {@code rows} whole; rewrites the labels of the sensors in {@code labelsChanged}. */
  void store(Connection c, Collection<LatestRow> rows, Collection<String> labelsChanged)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(upsert)) {
      for (LatestRow r : rows) {
        bind(ps, r);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    if (labelsChanged.isEmpty()) {
      return;
    }
    List<String> ids = new ArrayList<>(labelsChanged);
    try (PreparedStatement del =
        c.prepareStatement(
            "DELETE FROM " + labels + " WHERE sensor_id IN (" + Sql.marks(ids.size()) + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        del.setString(i + 1, ids.get(i));
      }
      del.executeUpdate();
    }
    Map<String, LatestRow> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.sensorId(), r));
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO " + labels + " (sensor_id, label_key, label_value) VALUES (?, ?, ?)")) {
      int n = 0;
      for (String id : ids) {
        LatestRow r = byId.get(id);
        if (r == null || r.metadata() == null) {
          continue;
        }
        for (Map.Entry<String, String> e : r.metadata().labels().entrySet()) {
          ins.setString(1, id);
          ins.setString(2, e.getKey());
          ins.setString(3, e.getValue());
          ins.addBatch();
          n++;
        }
      }
      if (n > 0) {
        ins.executeBatch();
      }
    }
  }

  private static void bind(PreparedStatement ps, LatestRow r) throws SQLException {
    int i = 1;
    ps.setString(i++, r.sensorId());
    ps.setLong(i++, r.readingCount());
    Reading last = r.lastReading();
    Sql.setString(ps, i++, last == null ? null : last.readingId());
    Sql.setDouble(ps, i++, last == null ? null : last.value());
    Sql.setInstant(ps, i++, last == null ? null : last.timestamp());
    Sql.setInstant(ps, i++, r.lastRecordedAt());
    ps.setLong(i++, r.seqNr());
    SensorMetadata m = r.metadata();
    ps.setBoolean(i++, m != null);
    Sql.setString(ps, i++, m == null ? null : m.name());
    Sql.setString(ps, i++, m == null ? null : m.type());
    Sql.setString(ps, i++, m == null ? null : m.unit());
    Sql.setDouble(ps, i++, m == null || m.location() == null ? null : m.location().lat());
    Sql.setDouble(ps, i++, m == null || m.location() == null ? null : m.location().lon());
    i = bindThresholds(ps, i, m == null ? null : m.thresholds());
    OpenAlert a = r.openAlert();
    Sql.setLong(ps, i++, a == null ? null : a.alertNumber());
    Sql.setString(ps, i++, a == null ? null : a.bound().name());
    Sql.setString(ps, i++, a == null || a.trigger() == null ? null : a.trigger().readingId());
    Sql.setDouble(ps, i++, a == null || a.trigger() == null ? null : a.trigger().value());
    Sql.setInstant(ps, i++, a == null || a.trigger() == null ? null : a.trigger().timestamp());
    Sql.setInstant(ps, i++, a == null ? null : a.raisedAt());
    i = bindThresholds(ps, i, a == null ? null : a.thresholds());
    Sql.setInstant(ps, i++, r.decommissionedAt());
    Sql.setInstant(ps, i++, r.updatedAt());
    Sql.setLong(
        ps,
        i++,
        m == null || m.expectedInterval() == null ? null : m.expectedInterval().toMillis());
    Sql.setInstant(ps, i, r.silentSince());
  }

  private static int bindThresholds(PreparedStatement ps, int i, Thresholds t) throws SQLException {
    Sql.setDouble(ps, i++, t == null ? null : t.min());
    Sql.setDouble(ps, i++, t == null ? null : t.max());
    Sql.setDouble(ps, i++, t == null ? null : t.hysteresis());
    return i;
  }
}
