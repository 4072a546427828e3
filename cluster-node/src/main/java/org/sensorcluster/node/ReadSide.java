package org.sensorcluster.node;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.view.AlertFilter;
import org.sensorcluster.domain.view.AlertView;
import org.sensorcluster.domain.view.DeadLetter;
import org.sensorcluster.domain.view.FleetStats;
import org.sensorcluster.domain.view.ModelLag;
import org.sensorcluster.domain.view.Page;
import org.sensorcluster.domain.view.ProjectionStatus;
import org.sensorcluster.domain.view.SensorFilter;
import org.sensorcluster.domain.view.Series;
import org.sensorcluster.domain.view.Step;
import org.sensorcluster.http.ReadModelAdmin;
import org.sensorcluster.http.SensorQueries;
import org.sensorcluster.http.ServiceUnavailableException;
import org.sensorcluster.projections.ReadModel;
import org.sensorcluster.projections.ReadModelQueries;
import org.sensorcluster.projections.ReadModelRuntime;

/**
 * The read side as the HTTP layer sees it: the projections module's queries and administration,
 * each bounded by the query timeout, with every database failure turned into a 503 + Retry-After;
 * the queries behind the {@link QueryBulkhead}.
 */
final class ReadSide implements SensorQueries, ReadModelAdmin {

  private final ReadModelRuntime runtime;
  private final ReadModelQueries queries;
  private final Duration timeout;
  private final Duration retryAfter;
  private final QueryBulkhead bulkhead;

  ReadSide(
      ReadModelRuntime runtime, Duration timeout, Duration retryAfter, int maxQueriesInFlight) {
    this.runtime = runtime;
    this.queries = new ReadModelQueries(runtime, timeout);
    this.timeout = timeout;
    this.retryAfter = retryAfter;
    this.bulkhead = new QueryBulkhead(maxQueriesInFlight, retryAfter);
  }

  /**
   * {@code stage} within {@code bound}; failures become 503, except refusals when {@code refusals}
   * is set.
   */
  private <T> CompletionStage<T> bounded(
      CompletionStage<T> stage, Duration bound, boolean refusals) {
    return stage
        .toCompletableFuture()
        .orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (value, failure) -> {
              if (failure != null) {
                Throwable t =
                    failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (t instanceof ServiceUnavailableException
                    || refusals
                        && (t instanceof IllegalArgumentException
                            || t instanceof IllegalStateException)) {
                  throw new CompletionException(t);
                }
                throw new ServiceUnavailableException(
                    "read model unavailable: " + SensorNode.rootMessage(t), retryAfter, t);
              }
              return value;
            });
  }

  private <T> CompletionStage<T> bounded(CompletionStage<T> stage) {
    return bounded(stage, timeout, false);
  }

  @Override
  public CompletionStage<Optional<SensorSummary>> latest(String sensorId) {
    return bounded(bulkhead.run(() -> queries.latest(sensorId)));
  }

  /**
   * For the live streams' metadata lookups: not behind the API's bulkhead (the tail bounds them).
   */
  CompletionStage<Optional<SensorSummary>> latestForLiveStreams(String sensorId) {
    return bounded(queries.latest(sensorId));
  }

  /**
   * Sensors that may have gone silent by now (for the {@link SilenceWatcher}; not behind the API's
   * bulkhead).
   */
  CompletionStage<java.util.List<String>> silenceCandidates(Duration fleetDefault, int limit) {
    return bounded(queries.silenceCandidates(fleetDefault, limit));
  }

  @Override
  public CompletionStage<Page<SensorSummary>> sensors(SensorFilter filter) {
    return bounded(bulkhead.run(() -> queries.sensors(filter)));
  }

  @Override
  public CompletionStage<Series> readings(
      String sensorId, Instant from, Instant to, Step step, int maxPoints) {
    return bounded(bulkhead.run(() -> queries.readings(sensorId, from, to, step, maxPoints)));
  }

  @Override
  public CompletionStage<Page<AlertView>> alerts(AlertFilter filter) {
    return bounded(bulkhead.run(() -> queries.alerts(filter)));
  }

  @Override
  public CompletionStage<Boolean> inJournal(String sensorId) {
    return bounded(bulkhead.run(() -> queries.inJournal(sensorId)));
  }

  @Override
  public CompletionStage<FleetStats> stats() {
    return bounded(bulkhead.run(() -> queries.stats()));
  }

  @Override
  public CompletionStage<Boolean> awaitApplied(
      String model, String sensorId, long seqNr, Duration t) {
    // the wait itself is bounded by t; the extra second covers the last poll's round trip
    // refusals: a seqNr beyond the sensor's journal is the client's mistake (400), not an outage
    return bounded(queries.awaitApplied(model, sensorId, seqNr, t), t.plusSeconds(1), true);
  }

  @Override
  public ModelLag lag(String model) {
    return runtime.progress().lag(model);
  }

  @Override
  public CompletionStage<List<ProjectionStatus>> projections() {
    return onDatabase(
        "read model progress unavailable",
        () ->
            // the periodic measurement is at most one progress interval old; measure only when
            // it is stale
            runtime.progress().ageMillis() <= runtime.progressInterval().toMillis() * 3 / 2
                ? runtime.progress().last()
                : runtime.progress().measure());
  }

  private IllegalArgumentException unknown(String name) {
    return new IllegalArgumentException(
        "no read model named '"
            + name
            + "'; read models: "
            + String.join(", ", runtime.models().names()));
  }

  @Override
  public CompletionStage<Void> setPaused(String name, boolean paused) {
    ReadModel model = runtime.models().named(name);
    if (model == null) {
      return CompletableFuture.failedFuture(unknown(name));
    }
    return bounded(runtime.setPaused(model, paused), timeout, true);
  }

  @Override
  public CompletionStage<Integer> rebuild(String name) {
    ReadModel model = runtime.models().named(name);
    if (model == null) {
      return CompletableFuture.failedFuture(unknown(name));
    }
    return onDatabase("cannot start the rebuild", () -> runtime.rebuild(model), true);
  }

  @Override
  public CompletionStage<List<DeadLetter>> deadLetters(int limit) {
    return onDatabase("dead letters unavailable", () -> runtime.listDeadLetters(limit));
  }

  @Override
  public CompletionStage<Boolean> discardDeadLetter(
      String projection, String persistenceId, long seqNr) {
    return onDatabase(
        "dead letters unavailable",
        () -> runtime.discardDeadLetter(projection, persistenceId, seqNr));
  }

  @Override
  public CompletionStage<DeadLetterRetried> retryDeadLetter(
      String projection, String persistenceId, long seqNr) {
    return onDatabase(
        "dead letters unavailable",
        () -> {
          java.util.Map.Entry<String, String> r =
              runtime.retryDeadLetter(projection, persistenceId, seqNr);
          return new DeadLetterRetried(r.getKey(), r.getValue());
        });
  }

  private <T> CompletionStage<T> onDatabase(String unavailable, DatabaseCall<T> call) {
    return onDatabase(unavailable, call, false);
  }

  /**
   * A blocking database call on the read side's executor, bounded; a checked failure (the
   * database's) becomes a 503, a refusal passes when {@code refusals} (see {@link #bounded}).
   */
  private <T> CompletionStage<T> onDatabase(
      String unavailable, DatabaseCall<T> call, boolean refusals) {
    return bounded(
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return call.run();
              } catch (RuntimeException e) {
                throw e;
              } catch (Exception e) {
                throw new CompletionException(
                    new ServiceUnavailableException(
                        unavailable + ": " + e.getMessage(), retryAfter, e));
              }
            },
            runtime.database().blockingExecutor()),
        timeout,
        refusals);
  }

  @FunctionalInterface
  private interface DatabaseCall<T> {
    T run() throws Exception;
  }

  /** The read side's runtime on this node (for its metrics). */
  ReadModelRuntime runtime() {
    return runtime;
  }
}
