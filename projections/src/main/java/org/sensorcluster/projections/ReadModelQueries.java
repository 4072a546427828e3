package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.sensorcluster.domain.EventTags;
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.view.AlertFilter;
import org.sensorcluster.domain.view.AlertView;
import org.sensorcluster.domain.view.FleetStats;
import org.sensorcluster.domain.view.Page;
import org.sensorcluster.domain.view.SensorFilter;
import org.sensorcluster.domain.view.Series;
import org.sensorcluster.domain.view.Step;
import org.sensorcluster.projections.alerts.AlertsModel;
import org.sensorcluster.projections.alerts.AlertsQueries;
import org.sensorcluster.projections.latest.LatestModel;
import org.sensorcluster.projections.latest.LatestQueries;
import org.sensorcluster.projections.readings.ReadingsModel;
import org.sensorcluster.projections.readings.ReadingsQueries;
import org.sensorcluster.projections.rollups.RollupsModel;
import org.sensorcluster.projections.rollups.RollupsQueries;

/**
 * The dashboard queries over the active generation of each read model, as the HTTP layer asks them:
 * each model's SQL lives in its package ({@code latest}, {@code readings}, {@code rollups}, {@code
 * alerts}); this facade runs it off the caller's thread and composes what spans models (the
 * automatic step of a series, the fleet stats, read-your-writes). Every query is bounded in rows
 * (its limit or maxPoints) and in time (a JDBC statement timeout); blocking JDBC runs on the
 * database's blocking executor. Failures complete the stage with {@link
 * ReadModelUnavailableException}.
 */
public final class ReadModelQueries {

  /** How often {@link #awaitApplied} looks at the projection's offset. */
  static final Duration AWAIT_POLL = Duration.ofMillis(20);

  private final ReadModelRuntime runtime;
  private final ReadModelDatabase db;
  private final QueryContext ctx;
  private final LatestQueries latest;
  private final ReadingsQueries readings;
  private final RollupsQueries rollups;
  private final AlertsQueries alerts;

  public ReadModelQueries(ReadModelRuntime runtime, Duration statementTimeout) {
    this.runtime = runtime;
    this.db = runtime.database();
    this.ctx = new QueryContext(runtime, statementTimeout);
    this.latest = new LatestQueries(ctx);
    this.readings = new ReadingsQueries(ctx);
    this.rollups = new RollupsQueries(ctx);
    this.alerts = new AlertsQueries(ctx);
  }

  private interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> CompletionStage<T> async(String model, Query<T> q) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = db.connection()) {
            try {
              return q.run(c);
            } finally {
              c.commit();
            }
          } catch (SQLException e) {
            throw new ReadModelUnavailableException(
                "read model " + model + " unavailable: " + e.getMessage(), e);
          }
        },
        db.blockingExecutor());
  }

  private int active(ReadModel model) {
    return ctx.active(model);
  }

  public CompletionStage<Optional<SensorSummary>> latest(String sensorId) {
    return async(LatestModel.NAME, c -> latest.latest(c, sensorId));
  }

  public CompletionStage<Page<SensorSummary>> sensors(SensorFilter f) {
    return async(LatestModel.NAME, c -> latest.sensors(c, f));
  }

  public CompletionStage<Page<AlertView>> alerts(AlertFilter f) {
    return async(AlertsModel.NAME, c -> alerts.alerts(c, f));
  }

  /** See {@code SensorQueries#readings}: {@code step} null means auto. */
  public CompletionStage<Series> readings(
      String sensorId, Instant from, Instant to, Step step, int maxPoints) {
    String model = step == null || step == Step.RAW ? ReadingsModel.NAME : RollupsModel.NAME;
    return async(
        model,
        c -> {
          Step chosen = step;
          if (chosen == null) {
            Instant now = runtime.clock().instant();
            boolean rawComplete = !from.isBefore(now.minus(runtime.settings().readingsRetention()));
            boolean minutesComplete =
                !from.isBefore(now.minus(runtime.settings().minuteRollupRetention()));
            if (rawComplete && readings.count(c, sensorId, from, to, maxPoints + 1) <= maxPoints) {
              chosen = Step.RAW;
            } else if (minutesComplete
                && rollups.count(c, Step.MINUTE, sensorId, from, to, maxPoints + 1) <= maxPoints) {
              chosen = Step.MINUTE;
            } else {
              chosen = Step.HOUR;
            }
          }
          return chosen == Step.RAW
              ? readings.raw(c, sensorId, from, to, maxPoints)
              : rollups.buckets(c, chosen, sensorId, from, to, maxPoints);
        });
  }

  /** Whether the sensor has any event in the journal (one index lookup). */
  public CompletionStage<Boolean> inJournal(String sensorId) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = db.connection()) {
            try {
              return JournalProbe.highestSequenceNr(c, SensorPersistenceIds.of(sensorId)) > 0;
            } finally {
              c.commit();
            }
          } catch (SQLException e) {
            throw new java.util.concurrent.CompletionException(
                new ReadModelUnavailableException("journal unavailable: " + e.getMessage(), e));
          }
        },
        db.blockingExecutor());
  }

  /** Sensors that may have gone silent by now ({@link LatestQueries#silenceCandidates}). */
  public CompletionStage<List<String>> silenceCandidates(Duration fleetDefault, int limit) {
    return async(
        LatestModel.NAME,
        c -> latest.silenceCandidates(c, runtime.clock().instant(), fleetDefault, limit));
  }

  public CompletionStage<FleetStats> stats() {
    return async(
        LatestModel.NAME,
        c -> {
          LatestQueries.SensorCounts n = latest.counts(c);
          Instant now = runtime.clock().instant();
          Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
          long lastMinute = rollups.fleetReadingsSince(c, minute.minus(1, ChronoUnit.MINUTES));
          long lastHour = rollups.fleetReadingsSince(c, minute.minus(59, ChronoUnit.MINUTES));
          return new FleetStats(
              n.sensors(),
              n.decommissioned(),
              n.byType(),
              n.openAlerts(),
              lastMinute,
              lastHour,
              now,
              n.silent());
        });
  }

  // ---- read-your-writes ---------------------------------------------------------------------

  /**
   * True once the active generation of {@code modelName} has applied the sensor's event {@code
   * seqNr} (its projection's offset for the sensor's tag reached that event's journal ordering).
   * Fails at once with {@link IllegalArgumentException} when the sensor's journal ends before
   * {@code seqNr}.
   */
  public CompletionStage<Boolean> awaitApplied(
      String modelName, String sensorId, long seqNr, Duration timeout) {
    ReadModel model = runtime.models().named(modelName);
    if (model == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no read model named " + modelName));
    }
    if (seqNr <= 0) {
      return CompletableFuture.completedFuture(true); // nothing to wait for
    }
    String tag = EventTags.tagFor(sensorId, runtime.settings().tagCount());
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    long[] ordering = {-1};
    Runnable[] poll = new Runnable[1];
    poll[0] =
        () -> {
          try (Connection c = db.connection()) {
            try {
              if (ordering[0] < 0) {
                ordering[0] = JournalProbe.orderingOf(c, SensorPersistenceIds.of(sensorId), seqNr);
                long head;
                if (ordering[0] < 0
                    && seqNr
                        > (head =
                            JournalProbe.highestSequenceNr(c, SensorPersistenceIds.of(sensorId)))) {
                  // a write is acknowledged only after its event is in the journal: nothing to wait
                  // for
                  result.completeExceptionally(
                      new IllegalArgumentException(
                          "the journal of sensor "
                              + sensorId
                              + " ends at sequence number "
                              + head
                              + "; "
                              + seqNr
                              + " was never written"));
                  return;
                }
              }
              if (ordering[0] >= 0
                  && JournalProbe.offset(c, model.projectionName(active(model)), tag)
                      >= ordering[0]) {
                result.complete(true);
                return;
              }
            } finally {
              c.commit();
            }
          } catch (SQLException | RuntimeException e) {
            result.completeExceptionally(
                new ReadModelUnavailableException(
                    "read model " + modelName + " unavailable: " + e.getMessage(), e));
            return;
          }
          if (System.nanoTime() >= deadline) {
            result.complete(false);
          } else {
            CompletableFuture.delayedExecutor(
                    AWAIT_POLL.toMillis(), TimeUnit.MILLISECONDS, db.blockingExecutor())
                .execute(poll[0]);
          }
        };
    db.blockingExecutor().execute(poll[0]);
    return result;
  }
}
