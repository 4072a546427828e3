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
import org.sensorcluster.domain.Refusal;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.http.BatchProgress;
import org.sensorcluster.http.SensorGateway;
import org.sensorcluster.http.ServiceUnavailableException;
import org.sensorcluster.node.entity.SensorCommand;
import org.sensorcluster.node.entity.SensorEntity;
import scala.concurrent.ExecutionContextExecutor;

/**
 * Reaches sensor entities through Cluster Sharding. Writes go through a circuit breaker: when the
 * journal keeps failing or timing out, further writes are refused at once (503) instead of piling
 * up.
 */
final class ShardedSensorGateway implements SensorGateway {

  private final ClusterSharding sharding;
  private final ActorSystem<?> system;

  /**
   * Where the code after an ask runs. An ask's stage is Scala's CompletableFuture, which runs even
   * {@code handle} on the JDK's default async executor: with fewer than 3 cores that starts a
   * thread per call unless the common pool was given threads (Main does; a library user or test JVM
   * may not).
   */
  private final ExecutionContextExecutor dispatcher;

  private final Duration askTimeout;
  private final Duration batchMaxWait;
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

  ShardedSensorGateway(ActorSystem<?> system, GatewaySettings settings, Duration retryAfter) {
    this.system = system;
    this.dispatcher = system.executionContext();
    this.sharding = ClusterSharding.get(system);
    this.health = new ClusterHealth(system);
    this.askTimeout = settings.askTimeout();
    this.batchMaxWait = settings.batchMaxWait();
    this.retryAfter = retryAfter;
    this.breaker =
        new WriteCircuitBreaker(settings.maxFailures(), settings.resetTimeout(), askTimeout);
  }

  @Override
  public CompletionStage<RecordOutcome> record(
      SensorId sensor,
      List<Reading> readings,
      String requestId,
      java.time.Instant receivedAt,
      boolean mayCreate) {
    return record(sensor, readings, requestId, receivedAt, mayCreate, null);
  }

  /** {@code progress} null: a single write, bounded by the ask timeout alone. */
  @Override
  public CompletionStage<RecordOutcome> record(
      SensorId sensor,
      List<Reading> readings,
      String requestId,
      java.time.Instant receivedAt,
      boolean mayCreate,
      BatchProgress progress) {
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
    // one hand-over to the dispatcher per write; what follows runs there synchronously. A write
    // dropped undelivered by a shard hand-off is sent again at once (UndeliveredCommands).
    CompletableFuture<SensorCommand.Recorded> asked =
        UndeliveredCommands.resendWhileUndelivered(
            () ->
                sharding
                    .entityRefFor(SensorEntity.TYPE_KEY, sensor.value())
                    .<SensorCommand.Recorded>ask(
                        replyTo ->
                            new SensorCommand.RecordReadings(
                                readings, requestId, replyTo, receivedAt, mayCreate),
                        progress == null ? askTimeout : batchMaxWait),
            recorded -> recorded.refusal() == Refusal.UNDELIVERED,
            dispatcher);
    CompletableFuture<SensorCommand.Recorded> answer =
        progress == null
            ? asked
            : progress.whileProgressing(
                asked,
                askTimeout,
                (delay, task) -> system.scheduler().scheduleOnce(delay, task, dispatcher));
    return answer.handle(
        (recorded, failure) -> {
          if (failure != null) {
            breaker.recordFailure();
            ServiceUnavailableException e =
                unavailable(failure, "sensor " + sensor + " did not confirm the write");
            writeFailures.failed(e.getMessage() + " (" + SensorNode.rootMessage(failure) + ")");
            throw e;
          }
          breaker.recordSuccess();
          if (progress != null) {
            progress.confirmed();
          }
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
    return UndeliveredCommands.resendWhileUndelivered(
            () ->
                sharding
                    .entityRefFor(SensorEntity.TYPE_KEY, sensor.value())
                    .ask(command::apply, askTimeout),
            changed -> changed.refusal() == Refusal.UNDELIVERED,
            dispatcher)
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
        .handleAsync(
            (summary, failure) -> {
              if (failure != null) {
                throw unavailable(failure, "sensor " + sensor + " did not answer");
              }
              return summary;
            },
            dispatcher);
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
