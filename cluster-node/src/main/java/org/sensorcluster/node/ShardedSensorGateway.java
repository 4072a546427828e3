package org.sensorcluster.node;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.http.SensorGateway;
import org.sensorcluster.http.ServiceUnavailableException;
import org.sensorcluster.node.entity.SensorCommand;
import org.sensorcluster.node.entity.SensorEntity;

/**
 * Reaches sensor entities through Cluster Sharding. Writes go through a circuit breaker: when the
 * journal keeps failing or timing out, further writes are refused at once (503) instead of piling
 * up.
 */
final class ShardedSensorGateway implements SensorGateway {

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final WriteCircuitBreaker breaker;
  private final Duration retryAfter;
  private final ClusterHealth health;

  /**
   * Replaces the per-entity ERROR + stack trace of a failed write (SensorEntity logs those at
   * DEBUG).
   */
  private final FailureSummaryLog writeFailures =
      new FailureSummaryLog(
          org.slf4j.LoggerFactory.getLogger(ShardedSensorGateway.class),
          "sensor writes failed or were not confirmed in time (answered 503)",
          Duration.ofSeconds(10));

  ShardedSensorGateway(
      ActorSystem<?> system,
      Duration askTimeout,
      int maxFailures,
      Duration resetTimeout,
      Duration retryAfter) {
    this.sharding = ClusterSharding.get(system);
    this.health = new ClusterHealth(system);
    this.askTimeout = askTimeout;
    this.retryAfter = retryAfter;
    this.breaker = new WriteCircuitBreaker(maxFailures, resetTimeout, askTimeout);
  }

  @Override
  public CompletionStage<RecordOutcome> record(
      SensorId sensor,
      List<Reading> readings,
      String requestId,
      java.time.Instant receivedAt,
      boolean mayCreate) {
    Optional<String> refused = health.writeRefusal();
    if (refused.isPresent()) {
      return CompletableFuture.failedFuture(
          new ServiceUnavailableException(refused.get(), retryAfter));
    }
    Duration open = breaker.remainingOpen();
    if (!open.isZero()) {
      return CompletableFuture.failedFuture(
          new ServiceUnavailableException(
              "journal writes are failing; circuit breaker open", max(open, retryAfter)));
    }
    return sharding
        .entityRefFor(SensorEntity.TYPE_KEY, sensor.value())
        .<SensorCommand.Recorded>ask(
            replyTo ->
                new SensorCommand.RecordReadings(
                    readings, requestId, replyTo, receivedAt, mayCreate),
            askTimeout)
        .handle(
            (recorded, failure) -> {
              if (failure != null) {
                breaker.recordFailure();
                ServiceUnavailableException e =
                    unavailable(failure, "sensor " + sensor + " did not confirm the write");
                writeFailures.failed(e.getMessage() + " (" + SensorNode.rootMessage(failure) + ")");
                throw e;
              }
              breaker.recordSuccess();
              return new RecordOutcome(
                  recorded.accepted(),
                  recorded.duplicates(),
                  recorded.sequenceNr(),
                  recorded.refusal(),
                  recorded.conflicts(),
                  recorded.created());
            });
  }

  @Override
  public CompletionStage<ChangeOutcome> updateMetadata(SensorId sensor, SensorMetadata metadata) {
    return change(sensor, replyTo -> new SensorCommand.UpdateMetadata(metadata, replyTo));
  }

  @Override
  public CompletionStage<ChangeOutcome> decommission(SensorId sensor) {
    return change(sensor, SensorCommand.Decommission::new);
  }

  private CompletionStage<ChangeOutcome> change(
      SensorId sensor, Function<ActorRef<SensorCommand.Changed>, SensorCommand> command) {
    Optional<String> refused = health.writeRefusal();
    if (refused.isPresent()) {
      return CompletableFuture.failedFuture(
          new ServiceUnavailableException(refused.get(), retryAfter));
    }
    return sharding
        .entityRefFor(SensorEntity.TYPE_KEY, sensor.value())
        .ask(command::apply, askTimeout)
        .handle(
            (changed, failure) -> {
              if (failure != null) {
                throw unavailable(failure, "sensor " + sensor + " did not confirm the change");
              }
              return new ChangeOutcome(
                  changed.created(), changed.changed(), changed.sequenceNr(), changed.refusal());
            });
  }

  @Override
  public CompletionStage<SensorSummary> summary(SensorId sensor) {
    return sharding
        .entityRefFor(SensorEntity.TYPE_KEY, sensor.value())
        .<SensorSummary>ask(SensorCommand.GetSummary::new, askTimeout)
        .handle(
            (summary, failure) -> {
              if (failure != null) {
                throw unavailable(failure, "sensor " + sensor + " did not answer");
              }
              return summary;
            });
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private ServiceUnavailableException unavailable(Throwable failure, String what) {
    Throwable t =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (t instanceof TimeoutException) {
      return new ServiceUnavailableException(
          what + " within " + askTimeout.toMillis() + " ms", retryAfter, t);
    }
    return new ServiceUnavailableException(what + ": " + t.getMessage(), retryAfter, t);
  }
}
