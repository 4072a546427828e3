package org.sensorcluster.projections.latest;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorMetadataUpdated;
import org.sensorcluster.projections.Dialect;
import org.sensorcluster.projections.PooledJdbcSession;
import org.sensorcluster.projections.ProjectionCounters;

/**
 * Folds a group of journal events into {@code sensor_latest_g<N>}: loads the rows of the sensors
 * the group touches (one query), applies the events in journal order with {@link LatestRow#apply},
 * and writes the changed rows back (one batch), in the transaction that also stores the offset. On
 * PostgreSQL (a database that {@linkplain Dialect#joinsArrayParameters() joins array parameters}),
 * sensors with only new readings in the group skip the load and are merged in SQL.
 */
public final class SensorLatestHandler
    extends JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> {

  private final Dialect dialect;
  private final SensorLatestTable table;
  private final ReadingsMerge readingsMerge;
  private final ProjectionCounters.Counter counter;

  public SensorLatestHandler(Dialect dialect, int gen, ProjectionCounters.Counter counter) {
    this.dialect = dialect;
    this.table = new SensorLatestTable(dialect, gen);
    this.readingsMerge = new ReadingsMerge(table.table());
    this.counter = counter;
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<SensorEvent>> envelopes)
      throws Exception {
    List<String> ids = new ArrayList<>(envelopes.size());
    for (EventEnvelope<SensorEvent> e : envelopes) {
      ids.add(SensorPersistenceIds.sensorIdOf(e.persistenceId()));
    }
    session.withConnection(
        (Connection c) -> {
          Set<String> merged =
              dialect.joinsArrayParameters() ? applyReadingsInSql(c, envelopes, ids) : Set.of();
          Set<String> toFold = new LinkedHashSet<>(ids);
          toFold.removeAll(merged);
          if (toFold.isEmpty()) {
            return null;
          }
          Map<String, LatestRow> rows = table.load(c, toFold);
          Map<String, LatestRow> changed = new LinkedHashMap<>();
          Set<String> labelsChanged = new HashSet<>();
          for (int i = 0; i < envelopes.size(); i++) {
            String id = ids.get(i);
            if (!toFold.contains(id)) {
              continue;
            }
            EventEnvelope<SensorEvent> e = envelopes.get(i);
            LatestRow before =
                changed.containsKey(id)
                    ? changed.get(id)
                    : rows.getOrDefault(id, LatestRow.empty(id));
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

  /**
   * The sensors whose events in this group are all {@link ReadingsRecorded} (nearly all of them, in
   * practice) are merged into their rows in SQL without loading them ({@link ReadingsMerge#apply}):
   * under batch load the load-and-rewrite of whole 27-column rows was the largest single cost of
   * the node. Returns the sensors done that way.
   *
   * @param ids the sensor id of each envelope, in the same order
   */
  private Set<String> applyReadingsInSql(
      Connection c, List<EventEnvelope<SensorEvent>> envelopes, List<String> ids)
      throws java.sql.SQLException {
    Map<String, ReadingsDelta> deltas = new LinkedHashMap<>();
    Set<String> other = new HashSet<>();
    for (int i = 0; i < envelopes.size(); i++) {
      String id = ids.get(i);
      if (other.contains(id)) {
        continue;
      }
      EventEnvelope<SensorEvent> e = envelopes.get(i);
      ReadingsDelta d = deltas.get(id);
      if (e.event() instanceof ReadingsRecorded r && d == null) {
        deltas.put(id, ReadingsDelta.of(id, r, e.sequenceNr()));
      } else if (e.event() instanceof ReadingsRecorded r && e.sequenceNr() == d.lastSeqNr() + 1) {
        deltas.put(id, d.plus(r, e.sequenceNr()));
      } else { // another kind of event, or not one consecutive run (a redelivery): fold it instead
        deltas.remove(id);
        other.add(id);
      }
    }
    return readingsMerge.apply(c, deltas.values());
  }
}
