package org.sensorcluster.http;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.domain.auth.Principal;

/**
 * Stores a stream of batch items: validates each, cuts the stream into chunks, groups each chunk by
 * sensor and asks all those sensors at once (one journal write per sensor per chunk). Items are
 * pulled only as fast as chunks are stored, so a large NDJSON upload is never held in memory whole.
 */
final class BatchIngest {

  private final ReadingRules rules;
  private final HttpSettings settings;
  private final ChunkStore chunks;

  BatchIngest(
      SensorGateway gateway,
      ReadingRules rules,
      HttpSettings settings,
      WritePermits permits,
      Quotas quotas) {
    this.rules = rules;
    this.settings = settings;
    this.chunks = new ChunkStore(gateway, settings, permits, quotas);
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
    BatchProgress progress = new BatchProgress(System::nanoTime);
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
            chunk -> chunks.store(chunk, who, requestId, receivedAt, held, progress))
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
  static final ValidatedItem END_OF_FAILED_STREAM =
      new ValidatedItem(-1, null, null, "end of failed stream");

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
