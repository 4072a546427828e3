package org.sensorcluster.node;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.view.AlertFilter;
import org.sensorcluster.domain.view.AlertView;
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
import org.sensorcluster.projections.SensorLatestRepository;

/**
 * Interim read side while the read models are being built: sensor_latest answers, every other
 * query is 503. Replaced by the projections module's read models; never shipped in a release.
 */
final class InterimQueries implements SensorQueries, ReadModelAdmin {

  private final SensorLatestRepository latest;
  private final Duration timeout;
  private final Duration retryAfter;

  InterimQueries(SensorLatestRepository latest, Duration timeout, Duration retryAfter) {
    this.latest = latest;
    this.timeout = timeout;
    this.retryAfter = retryAfter;
  }

  private <T> CompletionStage<T> notYet() {
    return CompletableFuture.failedFuture(new ServiceUnavailableException("this read model is not built yet", retryAfter));
  }

  @Override
  public CompletionStage<Optional<SensorSummary>> latest(String sensorId) {
    return latest.find(sensorId).toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((found, failure) -> {
          if (failure != null) {
            throw new ServiceUnavailableException("read model unavailable: " + SensorNode.rootMessage(failure),
                retryAfter, failure);
          }
          return found;
        });
  }

  @Override
  public CompletionStage<Page<SensorSummary>> sensors(SensorFilter filter) {
    return notYet();
  }

  @Override
  public CompletionStage<Series> readings(String sensorId, Instant from, Instant to, Step step, int maxPoints) {
    return notYet();
  }

  @Override
  public CompletionStage<Page<AlertView>> alerts(AlertFilter filter) {
    return notYet();
  }

  @Override
  public CompletionStage<FleetStats> stats() {
    return notYet();
  }

  @Override
  public CompletionStage<Boolean> awaitApplied(String model, String sensorId, long seqNr, Duration t) {
    return notYet();
  }

  @Override
  public ModelLag lag(String model) {
    return null;
  }

  @Override
  public CompletionStage<List<ProjectionStatus>> projections() {
    return notYet();
  }

  @Override
  public CompletionStage<Integer> rebuild(String name) {
    return notYet();
  }
}
