package org.sensorcluster.projections;

import java.sql.Connection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorMetadataUpdated;

/**
 * Folds a group of journal events into {@code sensor_latest_g<N>}: loads the rows of the sensors
 * the group touches (one query), applies the events in journal order with {@link LatestRow#apply},
 * and writes the changed rows back (one batch), in the transaction that also stores the offset.
 */
public final class SensorLatestHandler extends JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> {

  private final SensorLatestTable table;
  private final ProjectionCounters.Counter counter;

  SensorLatestHandler(Dialect dialect, int gen, ProjectionCounters.Counter counter) {
    this.table = new SensorLatestTable(dialect, gen);
    this.counter = counter;
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<SensorEvent>> envelopes) throws Exception {
    Map<String, Boolean> touched = new LinkedHashMap<>();
    for (EventEnvelope<SensorEvent> e : envelopes) {
      touched.put(SensorPersistenceIds.sensorIdOf(e.persistenceId()), Boolean.TRUE);
    }
    session.withConnection((Connection c) -> {
      Map<String, LatestRow> rows = table.load(c, touched.keySet());
      Map<String, LatestRow> changed = new LinkedHashMap<>();
      Set<String> labelsChanged = new HashSet<>();
      for (EventEnvelope<SensorEvent> e : envelopes) {
        String id = SensorPersistenceIds.sensorIdOf(e.persistenceId());
        LatestRow before = changed.containsKey(id) ? changed.get(id) : rows.getOrDefault(id, LatestRow.empty(id));
        LatestRow after = before.apply(e.event(), e.sequenceNr());
        if (after != before) {
          changed.put(id, after);
          if (e.event() instanceof SensorMetadataUpdated) {
            labelsChanged.add(id);
          }
        }
      }
      table.store(c, changed.values(), labelsChanged);
      return null;
    });
    counter.add(envelopes.size());
  }
}
