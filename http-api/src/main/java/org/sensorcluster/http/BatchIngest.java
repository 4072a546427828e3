package org.sensorcluster.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.auth.Principal;

/**
 * Stores a stream of batch items: validates each, cuts the stream into chunks, groups each chunk by
 * sensor and asks all those sensors at once (one journal write per sensor per chunk). Items are
 * pulled only as fast as chunks are stored, so a large NDJSON upload is never held in memory whole.
 */
final class BatchIngest {

  private final SensorGateway gateway;
  private final ReadingRules rules;
  private final HttpSettings settings;
  private final WritePermits permits;
  private final Quotas quotas;

  BatchIngest(
      SensorGateway gateway,
      ReadingRules rules,
      HttpSettings settings,
      WritePermits permits,
      Quotas quotas) {
    this.gateway = gateway;
    this.rules = rules;
    this.settings = settings;
    this.permits = permits;
    this.quotas = quotas;
  }

  /**
   * Runs {@code items} to the end. The stage completes with the tally; when the stream fails (too
   * large, too many items, broken framing) it fails with {@link PartialBatchException} carrying the
   * tally of every item read before the failure, once all of their writes have been answered.
   */
  CompletionStage<BatchTally> run(
      Source<RawItem, ?> items, Principal who, String requestId, Materializer mat) {
    Instant receivedAt = rules.clock().instant();
    BatchTally tally = new BatchTally();
    AtomicReference<Throwable> streamFailure = new AtomicReference<>();
    AtomicInteger held =
        new AtomicInteger(); // this request's sensor writes in flight (all its chunks)
    int maxItems = settings.batchMaxItems();
    return items
        .map(
            item -> {
              if (item.index() >= maxItems) {
                throw new TooManyItemsException(maxItems);
              }
              return ValidatedItem.of(item, null, rules, receivedAt).within(who);
            })
        // A failing upstream (too large, too many items, broken framing) ends the stream normally
        // with
        // a marker, so chunks already being stored finish and are counted before the reply is
        // built.
        .recover(
            new PFBuilder<Throwable, ValidatedItem>()
                .matchAny(
                    t -> {
                      streamFailure.set(t);
                      return END_OF_FAILED_STREAM;
                    })
                .build())
        .groupedWithin(settings.batchChunkSize(), Duration.ofMillis(20))
        .mapAsyncUnordered(
            settings.batchChunksInFlight(),
            chunk -> storeChunk(chunk, who, requestId, receivedAt, held))
        .runForeach(tally::add, mat)
        .thenApply(
            done -> {
              Throwable failure = streamFailure.get();
              if (failure != null) {
                throw new PartialBatchException(unwrap(failure), tally);
              }
              return tally;
            });
  }

  /** Marks where a failed item stream ended; never stored. */
  private static final ValidatedItem END_OF_FAILED_STREAM =
      new ValidatedItem(-1, null, null, "end of failed stream");

  private CompletionStage<BatchTally.ChunkResult> storeChunk(
      List<ValidatedItem> chunk,
      Principal who,
      String requestId,
      Instant receivedAt,
      AtomicInteger held) {
    BatchTally.ChunkResult result = new BatchTally.ChunkResult();
    Map<SensorId, List<ValidatedItem>> bySensor = new LinkedHashMap<>();
    int valid = 0;
    for (ValidatedItem item : chunk) {
      if (item == END_OF_FAILED_STREAM) {
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
    ServiceUnavailableException refused = admitted ? null : atCapacity(permits, settings);
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
              ? gateway.record(e.getKey(), readings, requestId, receivedAt, mayCreate)
              : CompletableFuture.<SensorGateway.RecordOutcome>failedFuture(refused);
      pending.add(
          write
              .handle((outcome, failure) -> Pair.create(outcome, failure))
              .thenAccept(
                  p -> {
                    synchronized (result) {
                      if (p.second() == null
                          && p.first().refusal() == SensorGateway.Refusal.NEW_SENSOR_QUOTA) {
                        throttle(
                            result,
                            List.of(sensorItems),
                            refusalText(e.getKey(), p.first().refusal()),
                            quotas.untilNewSensor(who));
                      } else if (p.second() == null && p.first().refusal() != null) {
                        String reason = refusalText(e.getKey(), p.first().refusal());
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
                                  sensorItems.get(i).index(), conflictText(readings.get(i))));
                        }
                        result.accepted += p.first().accepted();
                        result.duplicates += p.first().duplicates();
                        result.sequenceNrs.merge(
                            e.getKey().value(), p.first().sequenceNr(), Math::max);
                      } else {
                        Throwable cause = unwrap(p.second());
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
      java.util.Collection<List<ValidatedItem>> items,
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

  static ServiceUnavailableException atCapacity(WritePermits permits, HttpSettings settings) {
    return new ServiceUnavailableException(
        "this node is at its write capacity ("
            + permits.max()
            + " sensor writes in flight); nothing of this was written, retry later",
        settings.retryAfter());
  }

  static String refusalText(SensorId sensor, SensorGateway.Refusal refusal) {
    return switch (refusal) {
      case DECOMMISSIONED -> "sensor " + sensor.value() + " is decommissioned";
      case NOT_REGISTERED ->
          "sensor " + sensor.value() + " is not registered (auto-registration is off)";
      case NEW_SENSOR_QUOTA ->
          "sensor "
              + sensor.value()
              + " is new and this token's quota of new sensors"
              + " is used up; not stored, send again later";
    };
  }

  /**
   * Why a reading that reused a readingId for another reading was not stored (409 / rejected item).
   */
  static String conflictText(Reading reading) {
    return "readingId "
        + reading.readingId()
        + " was already stored with another value or timestamp;"
        + " a new reading needs a new readingId (the same reading again is acknowledged as a duplicate)";
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** A batch stream failed part-way; {@link #tally()} says what was stored before. */
  static final class PartialBatchException extends RuntimeException {
    private final transient BatchTally tally;

    PartialBatchException(Throwable cause, BatchTally tally) {
      super(cause.getMessage(), cause);
      this.tally = tally;
    }

    BatchTally tally() {
      return tally;
    }
  }
}
