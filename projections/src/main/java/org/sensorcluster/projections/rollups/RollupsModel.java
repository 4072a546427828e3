package org.sensorcluster.projections.rollups;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.projections.Dialect;
import org.sensorcluster.projections.HandlerContext;
import org.sensorcluster.projections.PooledJdbcSession;
import org.sensorcluster.projections.ReadModel;
import org.sensorcluster.projections.ReadModelSettings;
import org.sensorcluster.projections.RetentionRule;
import org.sensorcluster.projections.Sql;

/**
 * {@code rollups}: 1-minute and 1-hour buckets per sensor and the per-tag fleet count per minute.
 */
public final class RollupsModel implements ReadModel {

  public static final RollupsModel INSTANCE = new RollupsModel();
  public static final String NAME = "rollups";

  private RollupsModel() {}

  /** Counts, sums, minima and maxima, which do not depend on the order. */
  @Override
  public boolean appliesOutOfOrder() {
    return true;
  }

  @Override
  public String modelName() {
    return NAME;
  }

  @Override
  public List<String> baseTables() {
    return List.of("rollup_1m", "rollup_1h", "fleet_rollup_1m");
  }

  @Override
  public JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> handler(
      HandlerContext ctx) {
    return new RollupsHandler(
        ctx.dialect(),
        ctx.generation(),
        ctx.tag(),
        ctx.clock(),
        ctx.settings().minuteRollupRetention(),
        ctx.counter());
  }

  /** 1-minute buckets (per sensor and fleet-wide) go after their window; 1-hour buckets stay. */
  @Override
  public List<RetentionRule> retention() {
    return List.of(
        RetentionRule.perSensor(
            "rollup_1m", "bucket_start", ReadModelSettings::minuteRollupRetention),
        RetentionRule.perTag(
            "fleet_rollup_1m", "bucket_start", ReadModelSettings::minuteRollupRetention));
  }

  /**
   * Sums of rollups are exact decimals of values rounded to {@link RollupsHandler#SUM_SCALE}
   * places: addition is then associative, so the sum does not depend on how the journal was grouped
   * into transactions, and a rebuilt rollup equals the incremental one digit for digit.
   */
  static String sum(Dialect d) {
    return d.exactDecimalType(RollupsHandler.SUM_SCALE);
  }

  @Override
  public List<String> createStatements(int gen, Dialect d) {
    String ts = d.timestampType();
    List<String> out = new ArrayList<>();
    for (String base : List.of("rollup_1m", "rollup_1h")) {
      out.add(
          "CREATE TABLE IF NOT EXISTS "
              + ReadModel.table(base, gen)
              + " ("
              + " sensor_id VARCHAR(128) NOT NULL,"
              + " bucket_start "
              + ts
              + " NOT NULL,"
              + " reading_count BIGINT NOT NULL,"
              + " value_sum "
              + sum(d)
              + " NOT NULL,"
              + " value_min "
              + Sql.DOUBLE
              + " NOT NULL,"
              + " value_max "
              + Sql.DOUBLE
              + " NOT NULL,"
              + " PRIMARY KEY (sensor_id, bucket_start))");
    }
    // per tag, so the projection instances of different tags never update the same row
    out.add(
        "CREATE TABLE IF NOT EXISTS "
            + ReadModel.table("fleet_rollup_1m", gen)
            + " ("
            + " tag VARCHAR(64) NOT NULL,"
            + " bucket_start "
            + ts
            + " NOT NULL,"
            + " reading_count BIGINT NOT NULL,"
            + " PRIMARY KEY (tag, bucket_start))");
    return List.copyOf(out);
  }
}
