package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.stream.javadsl.Sink;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.view.DeadLetter;

/**
 * Applies a dead letter's event again, once an operator has fixed what made it fail
 * (docs/adr/0016-poison-events.md): the event is read from the journal, given to a fresh handler of
 * the dead letter's model and generation, and the dead letter is deleted in the same transaction as
 * the handler's writes. The event is applied now, after the events that followed it, so only models
 * whose rows do not depend on that order ({@link ReadModel#appliesOutOfOrder}) take a retry; the
 * others apply a dead letter's event by a rebuild.
 */
final class DeadLetterRetry {

  /** What a retry did. */
  enum Outcome {
    /** The event was applied and its dead letter deleted. */
    APPLIED,
    /** No such dead letter. */
    NOT_FOUND,
    /** The dead letter's generation is no longer live (a rebuild replaced it). */
    GENERATION_RETIRED,
    /** The journal no longer holds the event. */
    EVENT_GONE,
    /** The model depends on the order of events (see {@link ReadModel#appliesOutOfOrder}). */
    OUT_OF_ORDER,
    /** The handler failed again (not the database): the dead letter stays. */
    STILL_FAILING
  }

  /** {@code detail}: the error of a {@link Outcome#STILL_FAILING} retry, else a short text. */
  record Result(Outcome outcome, String detail) {}

  private final ActorSystem<?> system;
  private final ReadModelDatabase db;
  private final Generations generations;
  private final ReadModelSettings settings;
  private final Clock clock;
  private final ProjectionCounters counters;

  DeadLetterRetry(
      ActorSystem<?> system,
      ReadModelDatabase db,
      Generations generations,
      ReadModelSettings settings,
      Clock clock,
      ProjectionCounters counters) {
    this.system = system;
    this.db = db;
    this.generations = generations;
    this.settings = settings;
    this.clock = clock;
    this.counters = counters;
  }

  /** Runs the retry; blocking (JDBC), so call it on the blocking executor. */
  Result retry(String projection, String persistenceId, long seqNr) throws Exception {
    Optional<DeadLetter> found = find(projection, persistenceId, seqNr);
    if (found.isEmpty()) {
      return new Result(Outcome.NOT_FOUND, "no such dead letter");
    }
    DeadLetter d = found.get();
    ReadModel model = generations.models().named(d.model());
    Generations.State state = model == null ? null : generations.current(model);
    if (state == null
        || (state.active() != d.generation()
            && (state.building() == null || state.building() != d.generation()))) {
      return new Result(
          Outcome.GENERATION_RETIRED,
          "generation "
              + d.generation()
              + " of "
              + d.model()
              + " is no longer live; the rebuild that replaced it applied the event again");
    }
    if (!model.appliesOutOfOrder()) {
      return new Result(
          Outcome.OUT_OF_ORDER,
          "read model "
              + d.model()
              + " depends on the order of events and cannot apply this one after the events that"
              + " followed it; rebuild the model to apply it");
    }
    Optional<EventEnvelope<SensorEvent>> event =
        readEvent(persistenceId, seqNr).toCompletableFuture().get();
    if (event.isEmpty()) {
      return new Result(Outcome.EVENT_GONE, "the journal no longer holds this event");
    }
    HandlerContext ctx =
        new HandlerContext(
            db.dialect(),
            d.generation(),
            d.tag(),
            clock,
            settings,
            counters.counter(d.projection(), d.tag()));
    var handler = model.handler(ctx);
    PooledJdbcSession session = db.newSession();
    try {
      handler.start();
      try {
        handler.process(session, List.of(event.get()));
        session.withConnection(c -> DeadLetters.discard(c, projection, persistenceId, seqNr));
        session.commit();
        return new Result(Outcome.APPLIED, "applied");
      } catch (Exception e) {
        session.rollback();
        if (TransientFailures.isTransient(e)
            || !session.withConnection(TransientFailures::answers)) {
          throw e;
        }
        return new Result(Outcome.STILL_FAILING, e.toString());
      } finally {
        handler.stop();
      }
    } finally {
      session.close();
    }
  }

  private Optional<DeadLetter> find(String projection, String persistenceId, long seqNr)
      throws SQLException {
    try (Connection c = db.connection()) {
      try {
        return DeadLetters.find(c, projection, persistenceId, seqNr);
      } finally {
        c.rollback();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private CompletionStage<Optional<EventEnvelope<SensorEvent>>> readEvent(
      String persistenceId, long seqNr) {
    JdbcReadJournal journal =
        PersistenceQuery.get(system.classicSystem())
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return journal
        .currentEventsByPersistenceId(persistenceId, seqNr, seqNr)
        .runWith(Sink.headOption(), system)
        .thenApply(
            e ->
                e.map(
                    env ->
                        EventEnvelope.create(
                            env.offset(),
                            env.persistenceId(),
                            env.sequenceNr(),
                            (SensorEvent) env.event(),
                            env.timestamp())));
  }
}
