package org.sensorcluster.projections.latest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.view.Page;
import org.sensorcluster.domain.view.SensorFilter;
import org.sensorcluster.projections.QueryContext;
import org.sensorcluster.projections.Sql;

/** Queries over the active generation of {@code sensor_latest}, each on the caller's connection. */
public final class LatestQueries {

  /** The fleet figures {@code sensor_latest} knows. */
  public record SensorCounts(
      long sensors, long decommissioned, Map<String, Long> byType, long openAlerts, long silent) {}

  private final QueryContext ctx;

  public LatestQueries(QueryContext ctx) {
    this.ctx = ctx;
  }

  private SensorLatestTable table() {
    return new SensorLatestTable(ctx.dialect(), ctx.active(LatestModel.INSTANCE));
  }

  public Optional<SensorSummary> latest(Connection c, String sensorId) throws SQLException {
    LatestRow row = table().load(c, List.of(sensorId)).get(sensorId);
    return Optional.ofNullable(row).map(LatestRow::toSummary);
  }

  public Page<SensorSummary> sensors(Connection c, SensorFilter f) throws SQLException {
    SensorLatestTable t = table();
    StringBuilder sql =
        new StringBuilder(
            "SELECT " + LatestColumns.SELECT_COLUMNS + " FROM " + t.table() + " l WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (f.type() != null) {
      sql.append(" AND l.type = ?");
      args.add(f.type());
    }
    if (f.labelKey() != null) {
      sql.append(" AND EXISTS (SELECT 1 FROM ")
          .append(t.labelsTable())
          .append(" lb WHERE lb.sensor_id = l.sensor_id AND lb.label_key = ?");
      args.add(f.labelKey());
      if (f.labelValue() != null) {
        sql.append(" AND lb.label_value = ?");
        args.add(f.labelValue());
      }
      sql.append(")");
    }
    if (f.alerting() != null) {
      sql.append(f.alerting() ? " AND l.alert_number IS NOT NULL" : " AND l.alert_number IS NULL");
    }
    if (f.silent() != null) {
      sql.append(f.silent() ? " AND l.silent_since IS NOT NULL" : " AND l.silent_since IS NULL");
    }
    if (f.afterSensorId() != null) {
      sql.append(" AND l.sensor_id > ?");
      args.add(f.afterSensorId());
    }
    sql.append(" ORDER BY l.sensor_id LIMIT ").append(f.limit() + 1);
    List<String> ids = new ArrayList<>();
    List<LatestRow> rows = new ArrayList<>();
    try (PreparedStatement ps = ctx.prepare(c, sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 1, (String) args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(LatestColumns.map(rs, Map.of()));
          ids.add(rows.get(rows.size() - 1).sensorId());
        }
      }
    }
    boolean more = rows.size() > f.limit();
    if (more) {
      rows = rows.subList(0, f.limit());
      ids = ids.subList(0, f.limit());
    }
    Map<String, Map<String, String>> labels = t.loadLabels(c, ids);
    List<SensorSummary> items = new ArrayList<>(rows.size());
    for (LatestRow r : rows) {
      Map<String, String> l = labels.get(r.sensorId());
      if (l != null && r.metadata() != null) {
        r = r.withLabels(l);
      }
      items.add(r.toSummary());
    }
    return new Page<>(items, more);
  }

  public SensorCounts counts(Connection c) throws SQLException {
    long sensors = 0;
    long decommissioned = 0;
    long openAlerts = 0;
    long silent = 0;
    Map<String, Long> byType = new TreeMap<>();
    try (PreparedStatement ps =
            ctx.prepare(
                c,
                "SELECT COALESCE(type, ''), COUNT(*),"
                    + " SUM(CASE WHEN decommissioned_at IS NULL THEN 0 ELSE 1 END),"
                    + " SUM(CASE WHEN alert_number IS NULL THEN 0 ELSE 1 END),"
                    + " SUM(CASE WHEN silent_since IS NULL THEN 0 ELSE 1 END) FROM "
                    + table().table()
                    + " GROUP BY COALESCE(type, '')");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        byType.put(rs.getString(1), rs.getLong(2));
        sensors += rs.getLong(2);
        decommissioned += rs.getLong(3);
        openAlerts += rs.getLong(4);
        silent += rs.getLong(5);
      }
    }
    return new SensorCounts(sensors, decommissioned, byType, openAlerts, silent);
  }

  /**
   * Up to {@code limit} sensors in service, not silent yet, whose last readings were stored longer
   * ago than their expected interval before {@code now} (their own one, else {@code fleetDefault};
   * null: only sensors with an own interval), oldest first. Their entities decide for themselves.
   */
  public List<String> silenceCandidates(Connection c, Instant now, Duration fleetDefault, int limit)
      throws SQLException {
    String due = ctx.dialect().plusMillis("last_recorded_at", "expected_interval_ms") + " < ?";
    String sql =
        "SELECT sensor_id FROM "
            + table().table()
            + " WHERE silent_since IS NULL AND decommissioned_at IS NULL AND last_recorded_at IS NOT NULL"
            + " AND ((expected_interval_ms IS NOT NULL AND "
            + due
            + ")"
            + (fleetDefault == null
                ? ""
                : " OR (expected_interval_ms IS NULL AND last_recorded_at < ?)")
            + ") ORDER BY last_recorded_at LIMIT "
            + limit;
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps = ctx.prepare(c, sql)) {
      Sql.setInstant(ps, 1, now);
      if (fleetDefault != null) {
        Sql.setInstant(ps, 2, now.minus(fleetDefault));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }
}
