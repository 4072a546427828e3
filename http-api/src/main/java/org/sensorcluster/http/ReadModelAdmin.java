package org.sensorcluster.http;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.sensorcluster.domain.view.DeadLetter;
import org.sensorcluster.domain.view.ProjectionStatus;

/** Operating the read models: progress of every projection, and rebuilds from the journal. */
public interface ReadModelAdmin {

  /** Every projection instance (read model x tag), including rebuilds in progress. */
  CompletionStage<List<ProjectionStatus>> projections();

  /**
   * Starts rebuilding read model {@code name} from the whole journal into fresh tables; they are
   * swapped in atomically when caught up. Fails with {@link IllegalArgumentException} for an
   * unknown name and with {@link IllegalStateException} when that model is already rebuilding.
   *
   * @return the generation being built
   */
  CompletionStage<Integer> rebuild(String name);

  /**
   * Pauses ({@code paused} true) or resumes every tag's projection of read model {@code name}: a
   * paused read model keeps answering queries but stops applying events (its lag grows) until
   * resumed, also across restarts. Fails with {@link IllegalArgumentException} for an unknown name.
   */
  CompletionStage<Void> setPaused(String name, boolean paused);

  /**
   * The most recent poison events the projections skipped (at most {@code limit}, newest first):
   * events a read model's handler failed on every time while the database answered, recorded
   * instead of stalling the model (docs/adr/0016-poison-events.md).
   */
  CompletionStage<List<DeadLetter>> deadLetters(int limit);

  /**
   * Deletes the dead letter of {@code projection} (model and generation, e.g. {@code alerts-g3})
   * for event {@code seqNr} of {@code persistenceId}, once an operator has dealt with it; completes
   * with false when there is no such dead letter. The event stays skipped (a rebuild applies it
   * again).
   */
  CompletionStage<Boolean> discardDeadLetter(String projection, String persistenceId, long seqNr);

  /**
   * Applies the event of a dead letter again (after the cause was fixed) and deletes the dead
   * letter when the read model's handler now succeeds; see {@link DeadLetterRetried} for the
   * outcomes.
   */
  CompletionStage<DeadLetterRetried> retryDeadLetter(
      String projection, String persistenceId, long seqNr);

  /**
   * What a retry did: {@code outcome} is {@code APPLIED} (the dead letter is gone), {@code
   * NOT_FOUND}, {@code GENERATION_RETIRED} (a rebuild replaced that generation), {@code EVENT_GONE}
   * (the journal no longer holds the event) or {@code STILL_FAILING} (the handler failed again,
   * {@code detail} says why; the dead letter stays).
   */
  record DeadLetterRetried(String outcome, String detail) {}
}
