package org.sensorcluster.projections.readings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.projections.Dialect;
import org.sensorcluster.projections.PooledJdbcSession;
import org.sensorcluster.projections.ProjectionCounters;
import org.sensorcluster.projections.ReadModel;
import org.sensorcluster.projections.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Appends every stored reading to {@code readings_g<N>} keyed by (sensor, time, sequence number,
 * index in the event), so a replayed event inserts nothing twice. Readings already older than the
 * retention window are not written.
 */
public final class ReadingsHandler
    extends JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> {

  /**
   * The logger's name predates the model packages; log filters and the correlation test rely on it.
   */
  private static final Logger log =
      LoggerFactory.getLogger("org.sensorcluster.projections.ReadingsHandler");

  /** The MDC key the HTTP layer uses for the correlation id (org.sensorcluster.http.RequestIds). */
  static final String REQUEST_ID_MDC_KEY = "requestId";

  private final String insert;
  private final Clock clock;
  private final Duration retention;
  private final ProjectionCounters.Counter counter;

  public ReadingsHandler(
      Dialect dialect,
      int gen,
      Clock clock,
      Duration retention,
      ProjectionCounters.Counter counter) {
    this.insert =
        dialect.insertIgnore(
            ReadModel.table("readings", gen),
            List.of("sensor_id", "ts", "seq_nr", "idx", "reading_value", "reading_id"),
            List.of("sensor_id", "ts", "seq_nr", "idx"));
    this.clock = clock;
    this.retention = retention;
    this.counter = counter;
  }

  static void withRequestId(String requestId, Runnable logCall) {
    if (requestId == null) {
      logCall.run();
      return;
    }
    MDC.put(REQUEST_ID_MDC_KEY, requestId);
    try {
      logCall.run();
    } finally {
      MDC.remove(REQUEST_ID_MDC_KEY);
    }
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<SensorEvent>> envelopes)
      throws Exception {
    Instant cutoff = clock.instant().minus(retention);
    session.withConnection(
        (Connection c) -> {
          try (PreparedStatement ps = c.prepareStatement(insert)) {
            int n = 0;
            for (EventEnvelope<SensorEvent> e : envelopes) {
              if (!(e.event() instanceof ReadingsRecorded recorded)) {
                continue;
              }
              String sensorId = SensorPersistenceIds.sensorIdOf(e.persistenceId());
              List<Reading> readings = recorded.readings();
              if (log.isDebugEnabled()) {
                withRequestId(
                    recorded.requestId(),
                    () ->
                        log.debug(
                            "sensor {}: writing {} reading(s) of event {}" + " (journal offset {})",
                            sensorId,
                            readings.size(),
                            e.sequenceNr(),
                            e.offset()));
              }
              for (int i = 0; i < readings.size(); i++) {
                Reading r = readings.get(i);
                if (r.timestamp().isBefore(cutoff)) {
                  continue;
                }
                ps.setString(1, sensorId);
                Sql.setInstant(ps, 2, r.timestamp());
                ps.setLong(3, e.sequenceNr());
                ps.setInt(4, i);
                ps.setDouble(5, r.value());
                Sql.setString(ps, 6, r.readingId());
                ps.addBatch();
                n++;
              }
            }
            if (n > 0) {
              ps.executeBatch();
            }
          }
          return null;
        });
    counter.add(envelopes.size());
  }
}
