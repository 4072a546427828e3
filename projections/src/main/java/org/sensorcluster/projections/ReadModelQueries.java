package org.sensorcluster.projections;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.EventTags;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.domain.view.AlertFilter;
import org.sensorcluster.domain.view.AlertView;
import org.sensorcluster.domain.view.FleetStats;
import org.sensorcluster.domain.view.Page;
import org.sensorcluster.domain.view.SensorFilter;
import org.sensorcluster.domain.view.Series;
import org.sensorcluster.domain.view.Step;

/**
 * The dashboard queries over the active generation of each read model. Every query is bounded in
 * rows (its limit or maxPoints) and in time (a JDBC statement timeout); blocking JDBC runs on the
 * database's blocking executor. Failures complete the stage with {@link ReadModelUnavailableException}.
 */
public final class ReadModelQueries {

  /** How often {@link #awaitApplied} looks at the projection's offset. */
  static final Duration AWAIT_POLL = Duration.ofMillis(20);

  private final ReadModelRuntime runtime;
  private final ReadModelDatabase db;
  private final int statementTimeoutSeconds;

  public ReadModelQueries(ReadModelRuntime runtime, Duration statementTimeout) {
    this.runtime = runtime;
    this.db = runtime.database();
    this.statementTimeoutSeconds = (int) Math.max(1, statementTimeout.toSeconds());
  }

  private interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> CompletionStage<T> async(String model, Query<T> q) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = db.connection()) {
        try {
          return q.run(c);
        } finally {
          c.commit();
        }
      } catch (SQLException e) {
        throw new ReadModelUnavailableException("read model " + model + " unavailable: " + e.getMessage(), e);
      }
    }, db.blockingExecutor());
  }

  private PreparedStatement prepare(Connection c, String sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.setQueryTimeout(statementTimeoutSeconds);
    return ps;
  }

  private int active(ReadModel model) {
    Generations.State s = runtime.generations().current(model);
    if (s == null) {
      throw new ReadModelUnavailableException("read model " + model.modelName() + " is not initialized yet", null);
    }
    return s.active();
  }

  // ---- sensor_latest ------------------------------------------------------------------------

  public CompletionStage<Optional<SensorSummary>> latest(String sensorId) {
    return async(ReadModel.SENSOR_LATEST.modelName(), c -> {
      SensorLatestTable t = new SensorLatestTable(db.dialect(), active(ReadModel.SENSOR_LATEST));
      LatestRow row = t.load(c, List.of(sensorId)).get(sensorId);
      return Optional.ofNullable(row).map(LatestRow::toSummary);
    });
  }

  public CompletionStage<Page<SensorSummary>> sensors(SensorFilter f) {
    return async(ReadModel.SENSOR_LATEST.modelName(), c -> {
      SensorLatestTable t = new SensorLatestTable(db.dialect(), active(ReadModel.SENSOR_LATEST));
      StringBuilder sql = new StringBuilder("SELECT " + SensorLatestTable.SELECT_COLUMNS + " FROM " + t.table()
          + " l WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      if (f.type() != null) {
        sql.append(" AND l.type = ?");
        args.add(f.type());
      }
      if (f.labelKey() != null) {
        sql.append(" AND EXISTS (SELECT 1 FROM ").append(t.labelsTable())
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
      if (f.afterSensorId() != null) {
        sql.append(" AND l.sensor_id > ?");
        args.add(f.afterSensorId());
      }
      sql.append(" ORDER BY l.sensor_id LIMIT ").append(f.limit() + 1);
      List<String> ids = new ArrayList<>();
      List<LatestRow> rows = new ArrayList<>();
      try (PreparedStatement ps = prepare(c, sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setString(i + 1, (String) args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(SensorLatestTable.map(rs, Map.of()));
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
          r = new LatestRow(r.sensorId(), r.readingCount(), r.lastReading(), r.lastRecordedAt(), r.seqNr(),
              new org.sensorcluster.domain.SensorMetadata(r.metadata().name(), r.metadata().type(), r.metadata().unit(),
                  r.metadata().location(), l, r.metadata().thresholds()),
              r.openAlert(), r.decommissionedAt(), r.updatedAt());
        }
        items.add(r.toSummary());
      }
      return new Page<>(items, more);
    });
  }

  // ---- readings and rollups -----------------------------------------------------------------

  /** See {@code SensorQueries#readings}: {@code step} null means auto. */
  public CompletionStage<Series> readings(String sensorId, Instant from, Instant to, Step step, int maxPoints) {
    String model = step == null || step == Step.RAW ? ReadModel.READINGS.modelName() : ReadModel.ROLLUPS.modelName();
    return async(model, c -> {
      Step chosen = step;
      if (chosen == null) {
        Instant now = runtime.clock().instant();
        boolean rawComplete = !from.isBefore(now.minus(runtime.settings().readingsRetention()));
        boolean minutesComplete = !from.isBefore(now.minus(runtime.settings().minuteRollupRetention()));
        if (rawComplete && countRaw(c, sensorId, from, to, maxPoints + 1) <= maxPoints) {
          chosen = Step.RAW;
        } else if (minutesComplete && countBuckets(c, Step.MINUTE, sensorId, from, to, maxPoints + 1) <= maxPoints) {
          chosen = Step.MINUTE;
        } else {
          chosen = Step.HOUR;
        }
      }
      return chosen == Step.RAW ? raw(c, sensorId, from, to, maxPoints) : buckets(c, chosen, sensorId, from, to, maxPoints);
    });
  }

  private String readingsTable() {
    return ReadModel.table("readings", active(ReadModel.READINGS));
  }

  private String bucketTable(Step step) {
    return ReadModel.table(step == Step.MINUTE ? "rollup_1m" : "rollup_1h", active(ReadModel.ROLLUPS));
  }

  private long countRaw(Connection c, String sensorId, Instant from, Instant to, int cap) throws SQLException {
    return count(c, "SELECT COUNT(*) FROM (SELECT 1 FROM " + readingsTable()
        + " WHERE sensor_id = ? AND ts >= ? AND ts < ? LIMIT " + cap + ") x", sensorId, from, to);
  }

  private long countBuckets(Connection c, Step step, String sensorId, Instant from, Instant to, int cap)
      throws SQLException {
    return count(c, "SELECT COUNT(*) FROM (SELECT 1 FROM " + bucketTable(step)
        + " WHERE sensor_id = ? AND bucket_start >= ? AND bucket_start < ? LIMIT " + cap + ") x",
        sensorId, truncate(from, step), to);
  }

  private long count(Connection c, String sql, String sensorId, Instant from, Instant to) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql)) {
      ps.setString(1, sensorId);
      Sql.setInstant(ps, 2, from);
      Sql.setInstant(ps, 3, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private Series raw(Connection c, String sensorId, Instant from, Instant to, int maxPoints) throws SQLException {
    List<Series.Point> points = new ArrayList<>();
    boolean truncated = false;
    try (PreparedStatement ps = prepare(c, "SELECT ts, reading_value FROM " + readingsTable()
        + " WHERE sensor_id = ? AND ts >= ? AND ts < ? ORDER BY ts, seq_nr, idx LIMIT " + (maxPoints + 1))) {
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

  /** Buckets whose start lies in [from truncated to the step, to). */
  private Series buckets(Connection c, Step step, String sensorId, Instant from, Instant to, int maxPoints)
      throws SQLException {
    List<Series.Bucket> buckets = new ArrayList<>();
    boolean truncated = false;
    try (PreparedStatement ps = prepare(c, "SELECT bucket_start, reading_count, value_sum, value_min, value_max FROM "
        + bucketTable(step) + " WHERE sensor_id = ? AND bucket_start >= ? AND bucket_start < ?"
        + " ORDER BY bucket_start LIMIT " + (maxPoints + 1))) {
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
          buckets.add(new Series.Bucket(Sql.instant(rs, 1), count, rs.getDouble(4), rs.getDouble(5),
              sum.doubleValue() / count));
        }
      }
    }
    return new Series(sensorId, step, from, to, List.of(), buckets, truncated);
  }

  static Instant truncate(Instant t, Step step) {
    return t.truncatedTo(step == Step.MINUTE ? ChronoUnit.MINUTES : ChronoUnit.HOURS);
  }

  // ---- alerts -------------------------------------------------------------------------------

  public CompletionStage<Page<AlertView>> alerts(AlertFilter f) {
    return async(ReadModel.ALERTS.modelName(), c -> {
      StringBuilder sql = new StringBuilder("SELECT sensor_id, alert_number, bound, raised_at, raised_value,"
          + " raised_reading_ts, th_min, th_max, th_hyst, cleared_at, cleared_value FROM "
          + ReadModel.table("alerts", active(ReadModel.ALERTS)) + " WHERE 1 = 1");
      if (f.open() != null) {
        sql.append(f.open() ? " AND cleared_at IS NULL" : " AND cleared_at IS NOT NULL");
      }
      if (f.sensorId() != null) {
        sql.append(" AND sensor_id = ?");
      }
      if (f.after() != null) {
        sql.append(" AND (raised_at < ? OR (raised_at = ? AND (sensor_id > ? OR (sensor_id = ? AND alert_number > ?))))");
      }
      sql.append(" ORDER BY raised_at DESC, sensor_id, alert_number LIMIT ").append(f.limit() + 1);
      List<AlertView> items = new ArrayList<>();
      try (PreparedStatement ps = prepare(c, sql.toString())) {
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
            Thresholds t = hyst == null ? null : new Thresholds(Sql.dbl(rs, "th_min"), Sql.dbl(rs, "th_max"), hyst);
            items.add(new AlertView(rs.getString("sensor_id"), rs.getLong("alert_number"),
                AlertBound.valueOf(rs.getString("bound")), Sql.instant(rs, "raised_at"), rs.getDouble("raised_value"),
                Sql.instant(rs, "raised_reading_ts"), t, Sql.instant(rs, "cleared_at"), Sql.dbl(rs, "cleared_value")));
          }
        }
      }
      boolean more = items.size() > f.limit();
      return new Page<>(more ? items.subList(0, f.limit()) : items, more);
    });
  }

  // ---- stats --------------------------------------------------------------------------------

  public CompletionStage<FleetStats> stats() {
    return async(ReadModel.SENSOR_LATEST.modelName(), c -> {
      String latest = ReadModel.table("sensor_latest", active(ReadModel.SENSOR_LATEST));
      long sensors = 0;
      long decommissioned = 0;
      long openAlerts = 0;
      Map<String, Long> byType = new TreeMap<>();
      try (PreparedStatement ps = prepare(c, "SELECT COALESCE(type, ''), COUNT(*),"
          + " SUM(CASE WHEN decommissioned_at IS NULL THEN 0 ELSE 1 END),"
          + " SUM(CASE WHEN alert_number IS NULL THEN 0 ELSE 1 END) FROM " + latest + " GROUP BY COALESCE(type, '')");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byType.put(rs.getString(1), rs.getLong(2));
          sensors += rs.getLong(2);
          decommissioned += rs.getLong(3);
          openAlerts += rs.getLong(4);
        }
      }
      Instant now = runtime.clock().instant();
      Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
      long lastMinute = fleetReadingsSince(c, minute.minus(1, ChronoUnit.MINUTES));
      long lastHour = fleetReadingsSince(c, minute.minus(59, ChronoUnit.MINUTES));
      return new FleetStats(sensors, decommissioned, byType, openAlerts, lastMinute, lastHour, now);
    });
  }

  private long fleetReadingsSince(Connection c, Instant since) throws SQLException {
    int tags = runtime.settings().tagCount();
    try (PreparedStatement ps = prepare(c, "SELECT COALESCE(SUM(reading_count), 0) FROM "
        + ReadModel.table("fleet_rollup_1m", active(ReadModel.ROLLUPS)) + " WHERE tag IN (" + Sql.marks(tags)
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

  // ---- read-your-writes ---------------------------------------------------------------------

  /**
   * True once the active generation of {@code modelName} has applied the sensor's event {@code seqNr}
   * (its projection's offset for the sensor's tag reached that event's journal ordering). Fails at
   * once with {@link IllegalArgumentException} when the sensor's journal ends before {@code seqNr}.
   */
  public CompletionStage<Boolean> awaitApplied(String modelName, String sensorId, long seqNr, Duration timeout) {
    ReadModel model = ReadModel.named(modelName);
    if (model == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("no read model named " + modelName));
    }
    if (seqNr <= 0) {
      return CompletableFuture.completedFuture(true); // nothing to wait for
    }
    String tag = EventTags.tagFor(sensorId, runtime.settings().tagCount());
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    long[] ordering = {-1};
    Runnable[] poll = new Runnable[1];
    poll[0] = () -> {
      try (Connection c = db.connection()) {
        try {
          if (ordering[0] < 0) {
            ordering[0] = JournalProbe.orderingOf(c, SensorPersistenceIds.of(sensorId), seqNr);
            long head;
            if (ordering[0] < 0 && seqNr > (head = JournalProbe.highestSequenceNr(c, SensorPersistenceIds.of(sensorId)))) {
              // a write is acknowledged only after its event is in the journal: nothing to wait for
              result.completeExceptionally(new IllegalArgumentException("the journal of sensor " + sensorId
                  + " ends at sequence number " + head + "; " + seqNr + " was never written"));
              return;
            }
          }
          if (ordering[0] >= 0 && JournalProbe.offset(c, model.projectionName(active(model)), tag) >= ordering[0]) {
            result.complete(true);
            return;
          }
        } finally {
          c.commit();
        }
      } catch (SQLException | RuntimeException e) {
        result.completeExceptionally(new ReadModelUnavailableException("read model " + modelName + " unavailable: "
            + e.getMessage(), e));
        return;
      }
      if (System.nanoTime() >= deadline) {
        result.complete(false);
      } else {
        CompletableFuture.delayedExecutor(AWAIT_POLL.toMillis(), TimeUnit.MILLISECONDS, db.blockingExecutor())
            .execute(poll[0]);
      }
    };
    db.blockingExecutor().execute(poll[0]);
    return result;
  }
}
