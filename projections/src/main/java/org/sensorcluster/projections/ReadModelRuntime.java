package org.sensorcluster.projections;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.sensorcluster.domain.EventTags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of one node: the projection instances of every read model (ShardedDaemonProcess,
 * one per model and tag, spread over the cluster), this node's view of the generations, the rebuild
 * coordinator, lag measurement and retention. {@link #start} wires it all.
 */
public final class ReadModelRuntime {

  private static final Logger log = LoggerFactory.getLogger(ReadModelRuntime.class);

  private final ActorSystem<?> system;
  private final ReadModelDatabase db;
  private final ReadModelSettings settings;
  private final Clock clock;
  private final Generations generations;
  private final ProjectionCounters counters = new ProjectionCounters();
  private final DeadLetters deadLetters = new DeadLetters();
  private final ProjectionProgress progress;
  private final RebuildCoordinator coordinator;
  private final Retention retention;
  private final PeriodicTasks periodic;
  private final java.util.concurrent.atomic.LongAdder journalReads =
      new java.util.concurrent.atomic.LongAdder();

  private ReadModelRuntime(
      ActorSystem<?> system,
      ReadModelDatabase db,
      ReadModelSettings settings,
      Clock clock,
      ReadModels models) {
    this.system = system;
    this.db = db;
    this.settings = settings;
    this.clock = clock;
    this.generations = new Generations(db, models);
    this.progress = new ProjectionProgress(db, generations, counters, settings, clock);
    this.coordinator = new RebuildCoordinator(db, generations, settings, clock);
    this.retention = new Retention(db, generations, settings, clock);
    this.periodic = new PeriodicTasks(system);
  }

  /**
   * Creates the read-model tables when missing, starts the projection instances and the periodic
   * work. The projection offset tables must exist already.
   */
  public static ReadModelRuntime start(
      ActorSystem<?> system, ReadModelDatabase db, ReadModelSettings settings, Clock clock)
      throws SQLException {
    return start(system, db, settings, clock, ReadModels.ALL);
  }

  /**
   * {@link #start(ActorSystem, ReadModelDatabase, ReadModelSettings, Clock)} with the read models
   * {@code models}.
   */
  public static ReadModelRuntime start(
      ActorSystem<?> system,
      ReadModelDatabase db,
      ReadModelSettings settings,
      Clock clock,
      ReadModels models)
      throws SQLException {
    ReadModelRuntime rt = new ReadModelRuntime(system, db, settings, clock, models);
    rt.generations.initialize();
    rt.generations.refreshPaused();
    ReadModelProjections.startDaemons(system, rt);
    rt.periodic.every(
        settings.generationPoll(),
        "refresh generations",
        () -> {
          rt.generations.refresh();
          rt.generations.refreshPaused();
          rt.coordinator.run();
        });
    rt.periodic.every(
        settings.progressInterval(), "measure projection progress", rt.progress::measure);
    rt.periodic.every(settings.retentionInterval(), "enforce retention", rt.retention::run);
    return rt;
  }

  ReadModelSettings settings() {
    return settings;
  }

  public Duration progressInterval() {
    return settings.progressInterval();
  }

  /** The read models this runtime projects. */
  public ReadModels models() {
    return generations.models();
  }

  public Generations generations() {
    return generations;
  }

  public ProjectionProgress progress() {
    return progress;
  }

  public ReadModelDatabase database() {
    return db;
  }

  public Clock clock() {
    return clock;
  }

  /** This node's recordings of poison events (docs/adr/0016-poison-events.md). */
  public DeadLetters deadLetters() {
    return deadLetters;
  }

  /** The most recent {@code limit} poison events any projection skipped, newest first. */
  public java.util.List<org.sensorcluster.domain.view.DeadLetter> listDeadLetters(int limit)
      throws SQLException {
    try (java.sql.Connection c = db.connection()) {
      try {
        return DeadLetters.list(c, limit);
      } finally {
        c.rollback();
      }
    }
  }

  /** Deletes one dead letter (see {@link DeadLetters#discard}); true when there was one. */
  public boolean discardDeadLetter(String projection, String persistenceId, long seqNr)
      throws SQLException {
    try (java.sql.Connection c = db.connection()) {
      try {
        boolean found = DeadLetters.discard(c, projection, persistenceId, seqNr);
        c.commit();
        return found;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Applies a dead letter's event again and deletes the dead letter (see {@link DeadLetterRetry});
   * blocking.
   *
   * @return the outcome's name ({@code APPLIED}, {@code NOT_FOUND}, {@code GENERATION_RETIRED},
   *     {@code EVENT_GONE}, {@code STILL_FAILING}) and its detail
   */
  public java.util.Map.Entry<String, String> retryDeadLetter(
      String projection, String persistenceId, long seqNr) throws Exception {
    DeadLetterRetry.Result r =
        new DeadLetterRetry(system, db, generations, settings, clock, counters)
            .retry(projection, persistenceId, seqNr);
    return java.util.Map.entry(r.outcome().name(), r.detail());
  }

  /** Starts a rebuild of {@code model}; see {@link Generations#startRebuild}. */
  public int rebuild(ReadModel model) throws SQLException {
    int gen = generations.startRebuild(model, clock.millis());
    log.info("rebuilding read model {} into generation {}", model.modelName(), gen);
    return gen;
  }

  /**
   * Pauses or resumes every tag's projection of {@code model}'s active generation (Pekko
   * Projections' management table: the flag is stored with the offsets, so it holds across restarts
   * and on every node). The readers read it in each transaction: a pause holds for every event
   * written after it completed.
   */
  public java.util.concurrent.CompletionStage<Void> setPaused(ReadModel model, boolean paused) {
    Generations.State s = generations.current(model);
    if (s == null) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          new ReadModelUnavailableException(
              "read model " + model.modelName() + " is not initialized yet", null));
    }
    log.info(
        "{} read model {} (generation {})",
        paused ? "pausing" : "resuming",
        model.modelName(),
        s.active());
    String name = model.projectionName(s.active());
    return java.util.concurrent.CompletableFuture
        .runAsync( // read by the readers in each transaction
            () -> writePaused(name, paused), db.blockingExecutor());
  }

  private void writePaused(String name, boolean paused) {
    try (java.sql.Connection c = db.connection()) {
      try {
        for (int i = 0; i < settings.tagCount(); i++) {
          MemberOffsets.setPaused(c, db.dialect(), name, EventTags.tag(i), paused, clock.millis());
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
      generations.refreshPaused();
    } catch (SQLException e) {
      throw new ReadModelUnavailableException("cannot pause or resume " + name, e);
    }
  }

  ProjectionCounters counters() {
    return counters;
  }

  java.util.concurrent.atomic.LongAdder journalReads() {
    return journalReads;
  }

  /** Journal events this node's projections have read (and deserialized) since it started. */
  public long journalEventsRead() {
    return journalReads.sum();
  }
}
