package org.sensorcluster.projections.rollups;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.projections.Dialect;
import org.sensorcluster.projections.MergeColumn;
import org.sensorcluster.projections.PooledJdbcSession;
import org.sensorcluster.projections.ProjectionCounters;
import org.sensorcluster.projections.ReadModel;
import org.sensorcluster.projections.Sql;

/**
 * Adds every stored reading to its 1-minute and 1-hour bucket (by the reading's own timestamp, so a
 * late reading lands in its own bucket) and to the per-tag fleet count of its minute. A group is
 * pre-aggregated in memory: one upsert per sensor and bucket per transaction. Exactly once per
 * event because the offset is committed in the same transaction.
 */
public final class RollupsHandler
    extends JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> {

  /** Decimal places each value is rounded to before it is summed (see RollupsModel#sum). */
  public static final int SUM_SCALE = 12;

  private record Key(String sensorId, Instant start) {}

  private static final class Agg {
    long count;
    BigDecimal sum = BigDecimal.ZERO;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    void add(double v, BigDecimal exact) {
      count++;
      sum = sum.add(exact);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }

  private final String upsert1m;
  private final String upsert1h;
  private final String upsertFleet;
  private final String tag;
  private final Clock clock;
  private final Duration minuteRetention;
  private final ProjectionCounters.Counter counter;

  public RollupsHandler(
      Dialect dialect,
      int gen,
      String tag,
      Clock clock,
      Duration minuteRetention,
      ProjectionCounters.Counter counter) {
    this.upsert1m = bucketUpsert(dialect, ReadModel.table("rollup_1m", gen));
    this.upsert1h = bucketUpsert(dialect, ReadModel.table("rollup_1h", gen));
    this.upsertFleet = fleetUpsert(dialect, ReadModel.table("fleet_rollup_1m", gen));
    this.tag = tag;
    this.clock = clock;
    this.minuteRetention = minuteRetention;
    this.counter = counter;
  }

  static BigDecimal exact(double v) {
    return new BigDecimal(v).setScale(SUM_SCALE, RoundingMode.HALF_EVEN);
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<SensorEvent>> envelopes)
      throws Exception {
    Instant minuteCutoff = clock.instant().minus(minuteRetention);
    Map<Key, Agg> minutes = new HashMap<>();
    Map<Key, Agg> hours = new HashMap<>();
    Map<Instant, Long> fleet = new HashMap<>();
    for (EventEnvelope<SensorEvent> e : envelopes) {
      if (!(e.event() instanceof ReadingsRecorded recorded)) {
        continue;
      }
      String sensorId = SensorPersistenceIds.sensorIdOf(e.persistenceId());
      for (Reading r : recorded.readings()) {
        BigDecimal exact = exact(r.value());
        Instant hour = r.timestamp().truncatedTo(ChronoUnit.HOURS);
        hours.computeIfAbsent(new Key(sensorId, hour), k -> new Agg()).add(r.value(), exact);
        if (!r.timestamp().isBefore(minuteCutoff)) {
          Instant minute = r.timestamp().truncatedTo(ChronoUnit.MINUTES);
          minutes.computeIfAbsent(new Key(sensorId, minute), k -> new Agg()).add(r.value(), exact);
          fleet.merge(minute, 1L, Long::sum);
        }
      }
    }
    if (!hours.isEmpty()) {
      session.withConnection(
          (Connection c) -> {
            write(c, upsert1m, minutes);
            write(c, upsert1h, hours);
            if (!fleet.isEmpty()) {
              try (PreparedStatement ps = c.prepareStatement(upsertFleet)) {
                for (Map.Entry<Instant, Long> f : fleet.entrySet()) {
                  ps.setString(1, tag);
                  Sql.setInstant(ps, 2, f.getKey());
                  ps.setLong(3, f.getValue());
                  ps.addBatch();
                }
                ps.executeBatch();
              }
            }
            return null;
          });
    }
    counter.add(envelopes.size());
  }

  private static void write(Connection c, String sql, Map<Key, Agg> buckets) throws Exception {
    if (buckets.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Map.Entry<Key, Agg> b : buckets.entrySet()) {
        Agg a = b.getValue();
        ps.setString(1, b.getKey().sensorId());
        Sql.setInstant(ps, 2, b.getKey().start());
        ps.setLong(3, a.count);
        ps.setBigDecimal(4, a.sum);
        ps.setDouble(5, a.min);
        ps.setDouble(6, a.max);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static String bucketUpsert(Dialect d, String table) {
    return d.additiveUpsert(
        table,
        List.of(
            MergeColumn.key("sensor_id", "VARCHAR(128)"),
            MergeColumn.key("bucket_start", d.timestampType()),
            MergeColumn.sum("reading_count", "BIGINT"),
            MergeColumn.sum("value_sum", RollupsModel.sum(d)),
            MergeColumn.least("value_min", Sql.DOUBLE),
            MergeColumn.greatest("value_max", Sql.DOUBLE)));
  }

  static String fleetUpsert(Dialect d, String table) {
    return d.additiveUpsert(
        table,
        List.of(
            MergeColumn.key("tag", "VARCHAR(64)"),
            MergeColumn.key("bucket_start", d.timestampType()),
            MergeColumn.sum("reading_count", "BIGINT")));
  }
}
