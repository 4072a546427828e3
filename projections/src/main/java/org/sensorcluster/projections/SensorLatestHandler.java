package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorEvent;

/**
 * Folds a group of journal events into {@code sensor_latest}: one upsert per sensor per group, in
 * the transaction that also stores the projection offset (exactly once per group). A reading older
 * than the stored last reading raises the count but never moves "last reading" back.
 */
public final class SensorLatestHandler extends JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> {

  static final String POSTGRES_UPSERT = "INSERT INTO sensor_latest AS t"
      + " (sensor_id, reading_count, last_reading_id, last_value, last_ts, last_seq_nr, updated_at)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (sensor_id) DO UPDATE SET"
      + " reading_count = t.reading_count + EXCLUDED.reading_count,"
      + " last_reading_id = CASE WHEN EXCLUDED.last_ts >= t.last_ts THEN EXCLUDED.last_reading_id ELSE t.last_reading_id END,"
      + " last_value = CASE WHEN EXCLUDED.last_ts >= t.last_ts THEN EXCLUDED.last_value ELSE t.last_value END,"
      + " last_ts = GREATEST(EXCLUDED.last_ts, t.last_ts),"
      + " last_seq_nr = GREATEST(EXCLUDED.last_seq_nr, t.last_seq_nr),"
      + " updated_at = GREATEST(EXCLUDED.updated_at, t.updated_at)";

  static final String H2_MERGE = "MERGE INTO sensor_latest t USING (VALUES ("
      + "CAST(? AS VARCHAR(128)), CAST(? AS BIGINT), CAST(? AS VARCHAR(128)), CAST(? AS DOUBLE PRECISION),"
      + " CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS BIGINT), CAST(? AS TIMESTAMP WITH TIME ZONE)))"
      + " AS s(sensor_id, reading_count, last_reading_id, last_value, last_ts, last_seq_nr, updated_at)"
      + " ON t.sensor_id = s.sensor_id"
      + " WHEN MATCHED THEN UPDATE SET"
      + " reading_count = t.reading_count + s.reading_count,"
      + " last_reading_id = CASE WHEN s.last_ts >= t.last_ts THEN s.last_reading_id ELSE t.last_reading_id END,"
      + " last_value = CASE WHEN s.last_ts >= t.last_ts THEN s.last_value ELSE t.last_value END,"
      + " last_ts = GREATEST(s.last_ts, t.last_ts),"
      + " last_seq_nr = GREATEST(s.last_seq_nr, t.last_seq_nr),"
      + " updated_at = GREATEST(s.updated_at, t.updated_at)"
      + " WHEN NOT MATCHED THEN INSERT"
      + " (sensor_id, reading_count, last_reading_id, last_value, last_ts, last_seq_nr, updated_at)"
      + " VALUES (s.sensor_id, s.reading_count, s.last_reading_id, s.last_value, s.last_ts, s.last_seq_nr, s.updated_at)";

  private final String upsert;

  public SensorLatestHandler(Dialect dialect) {
    this.upsert = dialect == Dialect.POSTGRES ? POSTGRES_UPSERT : H2_MERGE;
  }

  /** Per-sensor sum of one group of events. */
  private static final class Delta {
    long count;
    Reading latest;
    long seqNr;
    Instant recordedAt;

    void add(ReadingsRecorded event, long eventSeqNr) {
      count += event.readings().size();
      for (Reading r : event.readings()) {
        if (latest == null || !r.timestamp().isBefore(latest.timestamp())) {
          latest = r;
        }
      }
      seqNr = Math.max(seqNr, eventSeqNr);
      if (recordedAt == null || event.recordedAt().isAfter(recordedAt)) {
        recordedAt = event.recordedAt();
      }
    }
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<SensorEvent>> envelopes) throws Exception {
    Map<String, Delta> deltas = new LinkedHashMap<>();
    for (EventEnvelope<SensorEvent> envelope : envelopes) {
      if (envelope.event() instanceof ReadingsRecorded recorded) {
        deltas.computeIfAbsent(SensorPersistenceIds.sensorIdOf(envelope.persistenceId()), k -> new Delta())
            .add(recorded, envelope.sequenceNr());
      }
    }
    if (deltas.isEmpty()) {
      return;
    }
    session.withConnection((Connection c) -> {
      try (PreparedStatement ps = c.prepareStatement(upsert)) {
        for (Map.Entry<String, Delta> e : deltas.entrySet()) {
          Delta d = e.getValue();
          ps.setString(1, e.getKey());
          ps.setLong(2, d.count);
          if (d.latest.readingId() == null) {
            ps.setNull(3, Types.VARCHAR);
          } else {
            ps.setString(3, d.latest.readingId());
          }
          ps.setDouble(4, d.latest.value());
          ps.setObject(5, d.latest.timestamp().atOffset(ZoneOffset.UTC));
          ps.setLong(6, d.seqNr);
          ps.setObject(7, d.recordedAt.atOffset(ZoneOffset.UTC));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }
}
