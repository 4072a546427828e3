package org.sensorcluster.projections.latest;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Location;
import org.sensorcluster.domain.OpenAlert;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.projections.Sql;

/**
 * The columns of {@code sensor_latest_g<N>} and how a {@link LatestRow} maps to them: read from a
 * result set ({@link #map}) and bound as the parameters of a whole-row write ({@link #bind}).
 */
final class LatestColumns {

  private LatestColumns() {}

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

  /** Maps the current row of {@code rs} (selected with {@link #SELECT_COLUMNS}). */
  static LatestRow map(ResultSet rs, Map<String, Map<String, String>> labelsById)
      throws SQLException {
    String id = rs.getString("sensor_id");
    Reading last = null;
    Instant lastTs = Sql.instant(rs, "last_ts");
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

  static void bind(PreparedStatement ps, LatestRow r) throws SQLException {
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
