package org.sensorcluster.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.CircuitBreaker;
import org.apache.pekko.pattern.CircuitBreakerOpenException;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.http.SensorGateway;
import org.sensorcluster.http.ServiceUnavailableException;
import org.sensorcluster.node.entity.SensorCommand;
import org.sensorcluster.node.entity.SensorEntity;

/**
 * Reaches sensor entities through Cluster Sharding. Writes go through a circuit breaker: when the
 * journal keeps failing or timing out, further writes are refused at once (503) instead of piling up.
 */
final class ShardedSensorGateway implements SensorGateway {

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final CircuitBreaker breaker;
  private final Duration retryAfter;

  ShardedSensorGateway(ActorSystem<?> system, Duration askTimeout, int maxFailures, Duration resetTimeout,
                       Duration retryAfter) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.retryAfter = retryAfter;
    this.breaker = CircuitBreaker.create(system.classicSystem().scheduler(), maxFailures,
        askTimeout.plusSeconds(1), resetTimeout);
  }

  @Override
  public CompletionStage<RecordOutcome> record(SensorId sensor, List<Reading> readings) {
    return breaker.callWithCircuitBreakerCS(() -> sharding
            .entityRefFor(SensorEntity.TYPE_KEY, sensor.value())
            .<SensorCommand.Recorded>ask(replyTo -> new SensorCommand.RecordReadings(readings, replyTo), askTimeout))
        .handle((recorded, failure) -> {
          if (failure != null) {
            throw unavailable(failure, "sensor " + sensor + " did not confirm the write");
          }
          return new RecordOutcome(recorded.accepted(), recorded.duplicates(), recorded.sequenceNr());
        });
  }

  @Override
  public CompletionStage<SensorSummary> summary(SensorId sensor) {
    return sharding.entityRefFor(SensorEntity.TYPE_KEY, sensor.value())
        .<SensorSummary>ask(SensorCommand.GetSummary::new, askTimeout)
        .handle((summary, failure) -> {
          if (failure != null) {
            throw unavailable(failure, "sensor " + sensor + " did not answer");
          }
          return summary;
        });
  }

  private ServiceUnavailableException unavailable(Throwable failure, String what) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (t instanceof CircuitBreakerOpenException open) {
      long ms = open.remainingDuration().toMillis();
      return new ServiceUnavailableException("journal writes are failing; circuit breaker open",
          Duration.ofMillis(Math.max(ms, retryAfter.toMillis())), t);
    }
    if (t instanceof TimeoutException) {
      return new ServiceUnavailableException(what + " within " + askTimeout.toMillis() + " ms", retryAfter, t);
    }
    return new ServiceUnavailableException(what + ": " + t.getMessage(), retryAfter, t);
  }
}
