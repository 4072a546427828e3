package org.sensorcluster.projections.readings;

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

/** {@code readings}: every stored reading, kept for the raw-readings retention window. */
public final class ReadingsModel implements ReadModel {

  public static final ReadingsModel INSTANCE = new ReadingsModel();
  public static final String NAME = "readings";

  private ReadingsModel() {}

  /** One row per reading, keyed by sensor, time and sequence number. */
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
    return List.of("readings");
  }

  @Override
  public JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> handler(
      HandlerContext ctx) {
    return new ReadingsHandler(
        ctx.dialect(),
        ctx.generation(),
        ctx.clock(),
        ctx.settings().readingsRetention(),
        ctx.counter());
  }

  @Override
  public List<RetentionRule> retention() {
    return List.of(RetentionRule.perSensor("readings", "ts", ReadModelSettings::readingsRetention));
  }

  @Override
  public List<String> createStatements(int gen, Dialect d) {
    String ts = d.timestampType();
    // (seq_nr, idx) identifies a reading; ts leads so range scans of one sensor use the key alone
    return List.of(
        "CREATE TABLE IF NOT EXISTS "
            + ReadModel.table("readings", gen)
            + " ("
            + " sensor_id VARCHAR(128) NOT NULL,"
            + " ts "
            + ts
            + " NOT NULL,"
            + " seq_nr BIGINT NOT NULL,"
            + " idx INT NOT NULL,"
            + " reading_value "
            + Sql.DOUBLE
            + " NOT NULL,"
            + " reading_id VARCHAR(128),"
            + " PRIMARY KEY (sensor_id, ts, seq_nr, idx))");
  }
}
