package org.sensorcluster.projections.alerts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.AlertRaised;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorWentSilent;
import org.sensorcluster.projections.Dialect;
import org.sensorcluster.projections.PooledJdbcSession;
import org.sensorcluster.projections.ProjectionCounters;
import org.sensorcluster.projections.ReadModel;
import org.sensorcluster.projections.Sql;

/**
 * Keeps {@code alerts_g<N>}: an {@code AlertRaised} inserts the alert (keyed by sensor and alert
 * number, so a replay inserts nothing twice), and so does a {@code SensorWentSilent} (bound SILENT,
 * its last reading as the raising value, no thresholds); an {@code AlertCleared} closes either if
 * still open. Inserts run before closes, so an alert raised and cleared within one group ends
 * closed.
 */
public final class AlertsHandler
    extends JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> {

  private final String insert;
  private final String close;
  private final ProjectionCounters.Counter counter;

  public AlertsHandler(Dialect dialect, int gen, ProjectionCounters.Counter counter) {
    String table = ReadModel.table("alerts", gen);
    this.insert =
        dialect.insertIgnore(
            table,
            List.of(
                "sensor_id",
                "alert_number",
                "bound",
                "raised_at",
                "raised_value",
                "raised_reading_id",
                "raised_reading_ts",
                "th_min",
                "th_max",
                "th_hyst"),
            List.of("sensor_id", "alert_number"));
    this.close =
        "UPDATE "
            + table
            + " SET cleared_at = ?, cleared_value = ?, cleared_reading_ts = ?"
            + " WHERE sensor_id = ? AND alert_number = ? AND cleared_at IS NULL";
    this.counter = counter;
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<SensorEvent>> envelopes)
      throws Exception {
    boolean any = false;
    for (EventEnvelope<SensorEvent> e : envelopes) {
      if (e.event() instanceof AlertRaised
          || e.event() instanceof AlertCleared
          || e.event() instanceof SensorWentSilent) {
        any = true;
        break;
      }
    }
    if (any) {
      session.withConnection(
          (Connection c) -> {
            try (PreparedStatement ins = c.prepareStatement(insert);
                PreparedStatement upd = c.prepareStatement(close)) {
              int inserts = 0;
              int updates = 0;
              for (EventEnvelope<SensorEvent> e : envelopes) {
                String sensorId = SensorPersistenceIds.sensorIdOf(e.persistenceId());
                if (e.event() instanceof AlertRaised a) {
                  ins.setString(1, sensorId);
                  ins.setLong(2, a.alertNumber());
                  ins.setString(3, a.bound().name());
                  Sql.setInstant(ins, 4, a.raisedAt());
                  ins.setDouble(5, a.reading().value());
                  Sql.setString(ins, 6, a.reading().readingId());
                  Sql.setInstant(ins, 7, a.reading().timestamp());
                  Thresholds t = a.thresholds();
                  Sql.setDouble(ins, 8, t == null ? null : t.min());
                  Sql.setDouble(ins, 9, t == null ? null : t.max());
                  Sql.setDouble(ins, 10, t == null ? null : t.hysteresis());
                  ins.addBatch();
                  inserts++;
                } else if (e.event() instanceof SensorWentSilent w) {
                  ins.setString(1, sensorId);
                  ins.setLong(2, w.alertNumber());
                  ins.setString(3, AlertBound.SILENT.name());
                  Sql.setInstant(ins, 4, w.decidedAt());
                  ins.setDouble(5, w.lastReading().value());
                  Sql.setString(ins, 6, w.lastReading().readingId());
                  Sql.setInstant(ins, 7, w.lastReading().timestamp());
                  Sql.setDouble(ins, 8, null);
                  Sql.setDouble(ins, 9, null);
                  Sql.setDouble(ins, 10, null);
                  ins.addBatch();
                  inserts++;
                } else if (e.event() instanceof AlertCleared cl) {
                  Sql.setInstant(upd, 1, cl.clearedAt());
                  Sql.setDouble(upd, 2, cl.reading() == null ? null : cl.reading().value());
                  Sql.setInstant(upd, 3, cl.reading() == null ? null : cl.reading().timestamp());
                  upd.setString(4, sensorId);
                  upd.setLong(5, cl.alertNumber());
                  upd.addBatch();
                  updates++;
                }
              }
              if (inserts > 0) {
                ins.executeBatch();
              }
              if (updates > 0) {
                upd.executeBatch();
              }
            }
            return null;
          });
    }
    counter.add(envelopes.size());
  }
}
