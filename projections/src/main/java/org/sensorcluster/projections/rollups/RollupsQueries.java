package org.sensorcluster.projections.rollups;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.sensorcluster.domain.EventTags;
import org.sensorcluster.domain.view.Series;
import org.sensorcluster.domain.view.Step;
import org.sensorcluster.projections.QueryContext;
import org.sensorcluster.projections.ReadModel;
import org.sensorcluster.projections.Sql;

/** Queries over the active generation of {@code rollups}, each on the caller's connection. */
public final class RollupsQueries {

  private final QueryContext ctx;

  public RollupsQueries(QueryContext ctx) {
    this.ctx = ctx;
  }

  private String bucketTable(Step step) {
    return ReadModel.table(
        step == Step.MINUTE ? "rollup_1m" : "rollup_1h", ctx.active(RollupsModel.INSTANCE));
  }

  static Instant truncate(Instant t, Step step) {
    return t.truncatedTo(step == Step.MINUTE ? ChronoUnit.MINUTES : ChronoUnit.HOURS);
  }

  /**
   * The sensor's buckets of {@code step} starting in [from truncated to the step, to), counted up
   * to {@code cap}.
   */
  public long count(Connection c, Step step, String sensorId, Instant from, Instant to, int cap)
      throws SQLException {
    try (PreparedStatement ps =
        ctx.prepare(
            c,
            "SELECT COUNT(*) FROM (SELECT 1 FROM "
                + bucketTable(step)
                + " WHERE sensor_id = ? AND bucket_start >= ? AND bucket_start < ? LIMIT "
                + cap
                + ") x")) {
      ps.setString(1, sensorId);
      Sql.setInstant(ps, 2, truncate(from, step));
      Sql.setInstant(ps, 3, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Buckets whose start lies in [from truncated to the step, to), at most {@code maxPoints}. */
  public Series buckets(
      Connection c, Step step, String sensorId, Instant from, Instant to, int maxPoints)
      throws SQLException {
    List<Series.Bucket> buckets = new ArrayList<>();
    boolean truncated = false;
    try (PreparedStatement ps =
        ctx.prepare(
            c,
            "SELECT bucket_start, reading_count, value_sum, value_min, value_max"
                + " FROM "
                + bucketTable(step)
                + " WHERE sensor_id = ? AND bucket_start >= ? AND bucket_start < ?"
                + " ORDER BY bucket_start LIMIT "
                + (maxPoints + 1))) {
      ps.setString(1, sensorId);
      Sql.setInstant(ps, 2, truncate(from, step));
      Sql.setInstant(ps, 3, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (buckets.size() == maxPoints) {
            truncated = true;
            break;
          }
          long count = rs.getLong(2);
          BigDecimal sum = rs.getBigDecimal(3);
          buckets.add(
              new Series.Bucket(
                  Sql.instant(rs, 1),
                  count,
                  rs.getDouble(4),
                  rs.getDouble(5),
                  sum.doubleValue() / count));
        }
      }
    }
    return new Series(sensorId, step, from, to, List.of(), buckets, truncated);
  }

  /** Readings of the whole fleet in minutes starting at or after {@code since}. */
  public long fleetReadingsSince(Connection c, Instant since) throws SQLException {
    int tags = ctx.settings().tagCount();
    try (PreparedStatement ps =
        ctx.prepare(
            c,
            "SELECT COALESCE(SUM(reading_count), 0) FROM "
                + ReadModel.table("fleet_rollup_1m", ctx.active(RollupsModel.INSTANCE))
                + " WHERE tag IN ("
                + Sql.marks(tags)
                + ") AND bucket_start >= ?")) {
      for (int i = 0; i < tags; i++) {
        ps.setString(i + 1, EventTags.tag(i));
      }
      Sql.setInstant(ps, tags + 1, since);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
