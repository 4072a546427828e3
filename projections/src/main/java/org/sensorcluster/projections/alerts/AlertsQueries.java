package org.sensorcluster.projections.alerts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.domain.view.AlertFilter;
import org.sensorcluster.domain.view.AlertView;
import org.sensorcluster.domain.view.Page;
import org.sensorcluster.projections.QueryContext;
import org.sensorcluster.projections.ReadModel;
import org.sensorcluster.projections.Sql;

/** Queries over the active generation of {@code alerts}, each on the caller's connection. */
public final class AlertsQueries {

  private final QueryContext ctx;

  public AlertsQueries(QueryContext ctx) {
    this.ctx = ctx;
  }

  /** Alerts newest first (raised_at, then sensor and number), one page after {@code f.after()}. */
  public Page<AlertView> alerts(Connection c, AlertFilter f) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT sensor_id, alert_number, bound, raised_at, raised_value,"
                + " raised_reading_ts, th_min, th_max, th_hyst, cleared_at, cleared_value FROM "
                + ReadModel.table("alerts", ctx.active(AlertsModel.INSTANCE))
                + " WHERE 1 = 1");
    if (f.open() != null) {
      sql.append(f.open() ? " AND cleared_at IS NULL" : " AND cleared_at IS NOT NULL");
    }
    if (f.sensorId() != null) {
      sql.append(" AND sensor_id = ?");
    }
    if (f.after() != null) {
      sql.append(
          " AND (raised_at < ? OR (raised_at = ? AND (sensor_id > ? OR (sensor_id = ? AND alert_number > ?))))");
    }
    sql.append(" ORDER BY raised_at DESC, sensor_id, alert_number LIMIT ").append(f.limit() + 1);
    List<AlertView> items = new ArrayList<>();
    try (PreparedStatement ps = ctx.prepare(c, sql.toString())) {
      int i = 1;
      if (f.sensorId() != null) {
        ps.setString(i++, f.sensorId());
      }
      if (f.after() != null) {
        Sql.setInstant(ps, i++, f.after().raisedAt());
        Sql.setInstant(ps, i++, f.after().raisedAt());
        ps.setString(i++, f.after().sensorId());
        ps.setString(i++, f.after().sensorId());
        ps.setLong(i, f.after().alertNumber());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Double hyst = Sql.dbl(rs, "th_hyst");
          Thresholds t =
              hyst == null
                  ? null
                  : new Thresholds(Sql.dbl(rs, "th_min"), Sql.dbl(rs, "th_max"), hyst);
          items.add(
              new AlertView(
                  rs.getString("sensor_id"),
                  rs.getLong("alert_number"),
                  AlertBound.valueOf(rs.getString("bound")),
                  Sql.instant(rs, "raised_at"),
                  rs.getDouble("raised_value"),
                  Sql.instant(rs, "raised_reading_ts"),
                  t,
                  Sql.instant(rs, "cleared_at"),
                  Sql.dbl(rs, "cleared_value")));
        }
      }
    }
    boolean more = items.size() > f.limit();
    return new Page<>(more ? items.subList(0, f.limit()) : items, more);
  }
}
