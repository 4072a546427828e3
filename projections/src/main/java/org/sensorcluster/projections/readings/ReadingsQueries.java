package org.sensorcluster.projections.readings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sensorcluster.domain.view.Series;
import org.sensorcluster.domain.view.Step;
import org.sensorcluster.projections.QueryContext;
import org.sensorcluster.projections.ReadModel;
import org.sensorcluster.projections.Sql;

/** Queries over the active generation of {@code readings}, each on the caller's connection. */
public final class ReadingsQueries {

  private final QueryContext ctx;

  public ReadingsQueries(QueryContext ctx) {
    this.ctx = ctx;
  }

  private String table() {
    return ReadModel.table("readings", ctx.active(ReadingsModel.INSTANCE));
  }

  /** Raw readings of the sensor in [from, to), counted up to {@code cap}. */
  public long count(Connection c, String sensorId, Instant from, Instant to, int cap)
      throws SQLException {
    try (PreparedStatement ps =
        ctx.prepare(
            c,
            "SELECT COUNT(*) FROM (SELECT 1 FROM "
                + table()
                + " WHERE sensor_id = ? AND ts >= ? AND ts < ? LIMIT "
                + cap
                + ") x")) {
      ps.setString(1, sensorId);
      Sql.setInstant(ps, 2, from);
      Sql.setInstant(ps, 3, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The sensor's raw readings in [from, to), at most {@code maxPoints}. */
  public Series raw(Connection c, String sensorId, Instant from, Instant to, int maxPoints)
      throws SQLException {
    List<Series.Point> points = new ArrayList<>();
    boolean truncated = false;
    try (PreparedStatement ps =
        ctx.prepare(
            c,
            "SELECT ts, reading_value FROM "
                + table()
                + " WHERE sensor_id = ? AND ts >= ? AND ts < ? ORDER BY ts, seq_nr, idx LIMIT "
                + (maxPoints + 1))) {
      ps.setString(1, sensorId);
      Sql.setInstant(ps, 2, from);
      Sql.setInstant(ps, 3, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (points.size() == maxPoints) {
            truncated = true;
            break;
          }
          points.add(new Series.Point(Sql.instant(rs, 1), rs.getDouble(2)));
        }
      }
    }
    return new Series(sensorId, Step.RAW, from, to, points, List.of(), truncated);
  }
}
