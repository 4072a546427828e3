package org.sensorcluster.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.japi.Pair;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.Refusal;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.auth.Principal;

/**
 * Stores one chunk of a batch ({@link BatchIngest}): takes the sender's readings quota, admits the
 * chunk's sensor writes ({@link WritePermits}), writes each sensor's items at once and counts what
 * every write answered in a {@link BatchTally.ChunkResult}.
 */
final class ChunkStore {

  private final SensorGateway gateway;
  private final HttpSettings settings;
  private final WritePermits permits;
  private final Quotas quotas;

  ChunkStore(SensorGateway gateway, HttpSettings settings, WritePermits permits, Quotas quotas) {
    this.gateway = gateway;
    this.settings = settings;
    this.permits = permits;
    this.quotas = quotas;
  }

  /**
   * Stores {@code chunk}; {@code held} counts the request's sensor writes in flight (all its
   * chunks), {@code progress} how far the request has come ({@link BatchProgress}); {@link
   * BatchIngest#END_OF_FAILED_STREAM} items are skipped.
   */
  CompletionStage<BatchTally.ChunkResult> store(
      List<ValidatedItem> chunk,
      Principal who,
      String requestId,
      Instant receivedAt,
      AtomicInteger held,
      BatchProgress progress) {
    BatchTally.ChunkResult result = new BatchTally.ChunkResult();
    Map<SensorId, List<ValidatedItem>> bySensor = new LinkedHashMap<>();
    int valid = 0;
    for (ValidatedItem item : chunk) {
      if (item == BatchIngest.END_OF_FAILED_STREAM) {
        continue;
      }
      if (item.valid()) {
        bySensor.computeIfAbsent(item.sensor(), k -> new ArrayList<>()).add(item);
        result.inScope++;
        valid++;
      } else {
        result.rejected.add(new ItemError(item.index(), item.error()));
        if (item.outOfScope()) {
          result.outOfScope++;
        }
      }
    }
    int writes = bySensor.size();
    Duration quotaWait = quotas.takeReadings(who, valid);
    if (!quotaWait.isZero()) {
      throttle(
          result,
          bySensor.values(),
          "over this token's quota of "
              + (long) who.quota().readingsPerSecond()
              + " readings/s on this node; not stored, send again later",
          quotaWait);
      return CompletableFuture.completedFuture(result);
    }
    WritePermits.Admission admission =
        writes == 0 ? WritePermits.Admission.ADMITTED : permits.tryAcquire(who, writes, held.get());
    if (admission == WritePermits.Admission.TOKEN_FULL) {
      throttle(
          result,
          bySensor.values(),
          "this token already has its share ("
              + permits.perToken()
              + ") of this node's sensor writes in flight; not stored, send again later",
          settings.retryAfter());
      return CompletableFuture.completedFuture(result);
    }
    boolean admitted = admission == WritePermits.Admission.ADMITTED;
    if (admitted) {
      held.addAndGet(writes);
    }
    ServiceUnavailableException refused =
        admitted ? null : IngestRefusals.atCapacity(permits, settings);
    boolean mayCreate = quotas.mayCreateSensor(who);
    List<CompletableFuture<Void>> pending = new ArrayList<>(bySensor.size());
    for (Map.Entry<SensorId, List<ValidatedItem>> e : bySensor.entrySet()) {
      List<ValidatedItem> sensorItems = e.getValue();
      List<Reading> readings = new ArrayList<>(sensorItems.size());
      for (ValidatedItem item : sensorItems) {
        readings.add(item.reading());
      }
      CompletionStage<SensorGateway.RecordOutcome> write =
          admitted
              ? gateway.record(e.getKey(), readings, requestId, receivedAt, mayCreate, progress)
              : CompletableFuture.<SensorGateway.RecordOutcome>failedFuture(refused);
      pending.add(
          write
              .handle((outcome, failure) -> Pair.create(outcome, failure))
              .thenAccept(
                  p -> {
                    synchronized (result) {
                      if (p.second() == null && p.first().refusal() == Refusal.NEW_SENSOR_QUOTA) {
                        throttle(
                            result,
                            List.of(sensorItems),
                            IngestRefusals.refusalText(e.getKey(), p.first().refusal()),
                            quotas.untilNewSensor(who));
                      } else if (p.second() == null && p.first().refusal() != null) {
                        String reason = IngestRefusals.refusalText(e.getKey(), p.first().refusal());
                        for (ValidatedItem item : sensorItems) {
                          result.rejected.add(new ItemError(item.index(), reason));
                        }
                      } else if (p.second() == null) {
                        if (p.first().created()) {
                          quotas.sensorsCreated(who, 1);
                        }
                        for (int i : p.first().conflicts()) {
                          result.rejected.add(
                              new ItemError(
                                  sensorItems.get(i).index(),
                                  IngestRefusals.conflictText(readings.get(i))));
                        }
                        result.accepted += p.first().accepted();
                        result.duplicates += p.first().duplicates();
                        result.sequenceNrs.merge(
                            e.getKey().value(), p.first().sequenceNr(), Math::max);
                      } else {
                        Throwable cause = BatchIngest.unwrap(p.second());
                        String reason =
                            cause instanceof ServiceUnavailableException
                                ? cause.getMessage()
                                : "not confirmed: " + cause.getClass().getSimpleName();
                        for (ValidatedItem item : sensorItems) {
                          result.unconfirmed.add(new ItemError(item.index(), reason));
                        }
                        if (cause instanceof ServiceUnavailableException su
                            && su.retryAfter().compareTo(result.retryAfter) > 0) {
                          result.retryAfter = su.retryAfter();
                        }
                      }
                    }
                  })
              .toCompletableFuture());
    }
    CompletableFuture<Void> all =
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    if (admitted && writes > 0) {
      all =
          all.whenComplete(
              (v, t) -> {
                held.addAndGet(-writes);
                permits.release(who, writes);
              });
    }
    return all.thenApply(v -> result);
  }

  /**
   * {@code items} were not stored because of the sender's quota: unconfirmed, to be sent again
   * after {@code wait}.
   */
  private static void throttle(
      BatchTally.ChunkResult result,
      Collection<List<ValidatedItem>> items,
      String reason,
      Duration wait) {
    for (List<ValidatedItem> sensorItems : items) {
      for (ValidatedItem item : sensorItems) {
        result.unconfirmed.add(new ItemError(item.index(), reason));
        result.throttled++;
      }
    }
    if (wait.compareTo(result.retryAfter) > 0) {
      result.retryAfter = wait;
    }
  }
}
