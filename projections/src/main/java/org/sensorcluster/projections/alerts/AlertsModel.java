package org.sensorcluster.projections.alerts;

import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.projections.Dialect;
import org.sensorcluster.projections.HandlerContext;
import org.sensorcluster.projections.PooledJdbcSession;
import org.sensorcluster.projections.ReadModel;
import org.sensorcluster.projections.Sql;

/** {@code alerts}: every alert raised, closed when cleared. */
public final class AlertsModel implements ReadModel {

  public static final AlertsModel INSTANCE = new AlertsModel();
  public static final String NAME = "alerts";

  private AlertsModel() {}

  @Override
  public String modelName() {
    return NAME;
  }

  @Override
  public List<String> baseTables() {
    return List.of("alerts");
  }

  @Override
  public JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> handler(
      HandlerContext ctx) {
    return new AlertsHandler(ctx.dialect(), ctx.generation(), ctx.counter());
  }

  @Override
  public List<String> createStatements(int gen, Dialect d) {
    String ts = d.timestampType();
    String dbl = Sql.DOUBLE;
    String t = ReadModel.table("alerts", gen);
    return List.of(
        "CREATE TABLE IF NOT EXISTS "
            + t
            + " ("
            + " sensor_id VARCHAR(128) NOT NULL,"
            + " alert_number BIGINT NOT NULL,"
            + " bound VARCHAR(16) NOT NULL,"
            + " raised_at "
            + ts
            + " NOT NULL,"
            + " raised_value "
            + dbl
            + " NOT NULL,"
            + " raised_reading_id VARCHAR(128),"
            + " raised_reading_ts "
            + ts
            + " NOT NULL,"
            + " th_min "
            + dbl
            + ", th_max "
            + dbl
            + ", th_hyst "
            + dbl
            + ","
            + " cleared_at "
            + ts
            + ","
            + " cleared_value "
            + dbl
            + ","
            + " cleared_reading_ts "
            + ts
            + ","
            + " PRIMARY KEY (sensor_id, alert_number))",
        "CREATE INDEX IF NOT EXISTS "
            + t
            + "_order ON "
            + t
            + " (raised_at DESC, sensor_id, alert_number)",
        "CREATE INDEX IF NOT EXISTS " + t + "_sensor ON " + t + " (sensor_id, raised_at DESC)");
  }
}
