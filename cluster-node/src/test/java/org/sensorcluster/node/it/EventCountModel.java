package org.sensorcluster.node.it;

import java.sql.PreparedStatement;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.projections.Dialect;
import org.sensorcluster.projections.HandlerContext;
import org.sensorcluster.projections.PooledJdbcSession;
import org.sensorcluster.projections.ReadModel;

/**
 * A throwaway read model, the smallest there is: {@code event_count_g<N>} holds the number of
 * journal events per sensor. It lives in the tests only and proves that a model is one class plus
 * one entry in the registry ({@link ReadModelRegistrationTest}). {@link #poisonedAt} makes one
 * whose handler throws on one event, every time ({@link PoisonEventTest}).
 */
final class EventCountModel implements ReadModel {

  static final String NAME = "event_count";
  static final String POISONED_NAME = "poison_count";

  private final String name;
  private final String poisonPersistenceId;
  private final long poisonSeqNr;
  private final java.util.concurrent.atomic.AtomicBoolean poisoned =
      new java.util.concurrent.atomic.AtomicBoolean(true);

  EventCountModel() {
    this(NAME, null, 0);
  }

  private EventCountModel(String name, String poisonPersistenceId, long poisonSeqNr) {
    this.name = name;
    this.poisonPersistenceId = poisonPersistenceId;
    this.poisonSeqNr = poisonSeqNr;
  }

  /**
   * A model {@value #POISONED_NAME} whose handler fails on event {@code seqNr} of sensor {@code
   * sensorId}.
   */
  static EventCountModel poisonedAt(String sensorId, long seqNr) {
    return new EventCountModel(POISONED_NAME, SensorPersistenceIds.of(sensorId), seqNr);
  }

  /** From now on the poison event applies (the operator fixed the cause; see retry). */
  void cure() {
    poisoned.set(false);
  }

  /** Counts, whatever the order. */
  @Override
  public boolean appliesOutOfOrder() {
    return true;
  }

  @Override
  public String modelName() {
    return name;
  }

  @Override
  public List<String> baseTables() {
    return List.of(name);
  }

  @Override
  public List<String> createStatements(int gen, Dialect dialect) {
    return List.of(
        "CREATE TABLE IF NOT EXISTS "
            + ReadModel.table(name, gen)
            + " (sensor_id VARCHAR(128) NOT NULL PRIMARY KEY, events BIGINT NOT NULL)");
  }

  @Override
  public JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> handler(
      HandlerContext ctx) {
    String table = ReadModel.table(name, ctx.generation());
    return new JdbcHandler<>() {
      @Override
      public void process(PooledJdbcSession session, List<EventEnvelope<SensorEvent>> envelopes)
          throws Exception {
        session.withConnection(
            c -> {
              // one tag's events, so no other instance writes these sensors' rows
              for (EventEnvelope<SensorEvent> e : envelopes) {
                if (e.persistenceId().equals(poisonPersistenceId)
                    && e.sequenceNr() == poisonSeqNr
                    && poisoned.get()) {
                  throw new IllegalStateException(
                      "poison event " + e.persistenceId() + " seq " + e.sequenceNr());
                }
                String sensorId = SensorPersistenceIds.sensorIdOf(e.persistenceId());
                try (PreparedStatement up =
                    c.prepareStatement(
                        "UPDATE " + table + " SET events = events + 1" + " WHERE sensor_id = ?")) {
                  up.setString(1, sensorId);
                  if (up.executeUpdate() == 0) {
                    try (PreparedStatement ins =
                        c.prepareStatement("INSERT INTO " + table + " VALUES (?, 1)")) {
                      ins.setString(1, sensorId);
                      ins.executeUpdate();
                    }
                  }
                }
              }
              return null;
            });
        ctx.counter().add(envelopes.size());
      }
    };
  }
}
