package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.HandlerRecoveryStrategy;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.view.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a read model's handler so that one event it cannot apply does not stall the model for ever
 * (docs/adr/0016-poison-events.md). A group that fails for a reason other than the database (see
 * {@link TransientFailures}) is failed {@link #RETRIES} times, so that Pekko's {@link
 * #recoveryStrategy()} retries it after {@link #RETRY_DELAY}; on the next attempt each event of the
 * group is applied alone, under a savepoint of the projection's transaction, and an event that
 * still fails - while the database answers - is recorded in {@link DeadLetters}, logged at ERROR
 * and skipped. Everything commits with the offset, so a dead letter is recorded once per projection
 * (and so once per generation on a rebuild).
 */
public final class PoisonGuard
    extends JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> {

  /** Retries of a failing group before its events are tried one by one. */
  public static final int RETRIES = 3;

  /** Delay between those retries. */
  public static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(PoisonGuard.class);

  private final JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> delegate;
  private final ReadModel model;
  private final String projection;
  private final int generation;
  private final String tag;
  private final DeadLetters deadLetters;
  private final Clock clock;

  /** Consecutive failures of the current group; Pekko retries with the same handler instance. */
  private int failures;

  public PoisonGuard(
      JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> delegate,
      ReadModel model,
      int generation,
      String tag,
      DeadLetters deadLetters,
      Clock clock) {
    this.delegate = delegate;
    this.model = model;
    this.projection = model.projectionName(generation);
    this.generation = generation;
    this.tag = tag;
    this.deadLetters = deadLetters;
    this.clock = clock;
  }

  /**
   * The strategy the projection must run with: {@link #RETRIES} retries, {@link #RETRY_DELAY}
   * apart.
   */
  public static HandlerRecoveryStrategy recoveryStrategy() {
    return HandlerRecoveryStrategy.retryAndFail(RETRIES, RETRY_DELAY);
  }

  @Override
  public void start() {
    delegate.start();
  }

  @Override
  public void stop() {
    delegate.stop();
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<SensorEvent>> envelopes)
      throws Exception {
    if (failures < RETRIES) {
      try {
        delegate.process(
            session, envelopes); // no savepoint on the normal path: it would cost 2 round trips
        failures = 0;
        return;
      } catch (Exception e) {
        rollback(
            session); // Pekko rolls back too; done here so that the connection can be asked SELECT
        // 1
        if (databaseFailure(session, e)) {
          failures = 0;
          throw e;
        }
        failures++;
        log.warn(
            "projection {} of {} failed on a group of {} events (attempt {} of {}): {}",
            projection,
            tag,
            envelopes.size(),
            failures,
            RETRIES + 1,
            e.toString());
        throw e;
      }
    }
    failures = 0; // the last attempt: each event alone
    for (EventEnvelope<SensorEvent> env : envelopes) {
      try {
        underSavepoint(session, List.of(env));
      } catch (Exception e) {
        if (databaseFailure(session, e)) {
          throw e;
        }
        deadLetter(session, env, e);
      }
    }
  }

  private static void rollback(PooledJdbcSession session) {
    try {
      session.rollback();
    } catch (Exception ignored) {
      // the connection is gone: databaseFailure finds out
    }
  }

  private void underSavepoint(PooledJdbcSession session, List<EventEnvelope<SensorEvent>> envelopes)
      throws Exception {
    Savepoint sp = session.withConnection(Connection::setSavepoint);
    try {
      delegate.process(session, envelopes);
    } catch (Exception | Error e) {
      session.withConnection(
          c -> {
            c.rollback(sp);
            return null;
          });
      throw e;
    }
    session.withConnection(
        c -> {
          c.releaseSavepoint(sp);
          return null;
        });
  }

  /**
   * A failure of the database itself (or one that left it unable to answer): never dead-lettered.
   */
  private static boolean databaseFailure(PooledJdbcSession session, Exception e) throws Exception {
    return TransientFailures.isTransient(e) || !session.withConnection(TransientFailures::answers);
  }

  private void deadLetter(PooledJdbcSession session, EventEnvelope<SensorEvent> env, Exception e)
      throws Exception {
    long offset = env.offset() instanceof Sequence s ? s.value() : -1;
    DeadLetter d =
        new DeadLetter(
            model.modelName(),
            projection,
            generation,
            tag,
            env.persistenceId(),
            env.sequenceNr(),
            offset,
            e.toString(),
            clock.millis());
    boolean inserted = session.withConnection(c -> deadLetters.record(c, d));
    if (inserted) {
      log.error(
          "projection {} of {} skipped poison event {} seq {} (offset {}) after {} attempts: {}",
          projection,
          tag,
          env.persistenceId(),
          env.sequenceNr(),
          offset,
          RETRIES + 1,
          e.toString(),
          e);
    }
  }
}
