package org.sensorcluster.projections.latest;

import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.projections.Dialect;
import org.sensorcluster.projections.HandlerContext;
import org.sensorcluster.projections.PooledJdbcSession;
import org.sensorcluster.projections.ReadModel;
import org.sensorcluster.projections.Sql;

/**
 * {@code sensor_latest}: one row per sensor (last reading, metadata, open alert, silence) and its
 * labels.
 */
public final class LatestModel implements ReadModel {

  public static final LatestModel INSTANCE = new LatestModel();
  public static final String NAME = "sensor_latest";

  private LatestModel() {}

  @Override
  public String modelName() {
    return NAME;
  }

  @Override
  public List<String> baseTables() {
    return List.of("sensor_latest", "sensor_labels");
  }

  @Override
  public String sensorIndex() {
    return "sensor_latest";
  }

  @Override
  public JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> handler(
      HandlerContext ctx) {
    return new SensorLatestHandler(ctx.dialect(), ctx.generation(), ctx.counter());
  }

  @Override
  public List<String> createStatements(int gen, Dialect d) {
    String ts = d.timestampType();
    String dbl = Sql.DOUBLE;
    String t = ReadModel.table("sensor_latest", gen);
    String l = ReadModel.table("sensor_labels", gen);
    return List.of(
        "CREATE TABLE IF NOT EXISTS "
            + t
            + " ("
            + " sensor_id VARCHAR(128) NOT NULL PRIMARY KEY,"
            + " reading_count BIGINT NOT NULL,"
            + " last_reading_id VARCHAR(128),"
            + " last_value "
            + dbl
            + ","
            + " last_ts "
            + ts
            + ","
            + " last_recorded_at "
            + ts
            + ","
            + " last_seq_nr BIGINT NOT NULL,"
            + " registered BOOLEAN NOT NULL,"
            + " name VARCHAR(256), type VARCHAR(64), unit VARCHAR(256),"
            + " lat "
            + dbl
            + ", lon "
            + dbl
            + ","
            + " th_min "
            + dbl
            + ", th_max "
            + dbl
            + ", th_hyst "
            + dbl
            + ","
            + " alert_number BIGINT, alert_bound VARCHAR(16), alert_reading_id VARCHAR(128),"
            + " alert_value "
            + dbl
            + ", alert_reading_ts "
            + ts
            + ", alert_raised_at "
            + ts
            + ","
            + " alert_th_min "
            + dbl
            + ", alert_th_max "
            + dbl
            + ", alert_th_hyst "
            + dbl
            + ","
            + " decommissioned_at "
            + ts
            + ","
            + " updated_at "
            + ts
            + " NOT NULL,"
            + " expected_interval_ms BIGINT,"
            + " silent_since "
            + ts
            + ")",
        // tables created before silence was watched gain its columns (both are null until events
        // set them)
        "ALTER TABLE " + t + " ADD COLUMN IF NOT EXISTS expected_interval_ms BIGINT",
        "ALTER TABLE " + t + " ADD COLUMN IF NOT EXISTS silent_since " + ts,
        "CREATE INDEX IF NOT EXISTS " + t + "_type ON " + t + " (type, sensor_id)",
        "CREATE TABLE IF NOT EXISTS "
            + l
            + " ("
            + " sensor_id VARCHAR(128) NOT NULL,"
            + " label_key VARCHAR(64) NOT NULL,"
            + " label_value VARCHAR(256) NOT NULL,"
            + " PRIMARY KEY (sensor_id, label_key))",
        "CREATE INDEX IF NOT EXISTS " + l + "_kv ON " + l + " (label_key, label_value, sensor_id)");
  }
}
