package org.sensorcluster.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sensorcluster.domain.view.DeadLetter;
import org.sensorcluster.domain.view.ProjectionStatus;

/**
 * Test fake of read-model administration: statuses as set by the test, rebuilds and pauses
 * remembered, every call recorded (with the name the route passed), a failure injectable.
 */
final class InMemoryAdmin implements ReadModelAdmin {

  static final Set<String> MODELS = Set.of("sensor_latest", "readings", "rollups", "alerts");

  private final List<ProjectionStatus> statuses = new ArrayList<>();
  private final Set<String> rebuilding = new HashSet<>();
  private final Set<String> paused = new HashSet<>();
  private final Map<String, Integer> activeGenerations = new HashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private RuntimeException nextFailure;

  synchronized void reset() {
    statuses.clear();
    rebuilding.clear();
    paused.clear();
    activeGenerations.clear();
    calls.clear();
    deadLetters.clear();
    nextFailure = null;
  }

  synchronized Set<String> paused() {
    return Set.copyOf(paused);
  }

  /** The generation {@code name} serves now (1 unless set); a rebuild builds the next one. */
  synchronized void activeGeneration(String name, int generation) {
    activeGenerations.put(name, generation);
  }

  /**
   * Every call so far, e.g. {@code "rebuild alerts"}, {@code "pause readings"}, {@code
   * "projections"}.
   */
  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** The next call fails with {@code failure} (once). */
  synchronized void failNext(RuntimeException failure) {
    nextFailure = failure;
  }

  private <T> CompletionStage<T> injectedFailure() {
    RuntimeException f = nextFailure;
    nextFailure = null;
    return f == null ? null : CompletableFuture.failedFuture(f);
  }

  @Override
  public synchronized CompletionStage<Void> setPaused(String name, boolean pause) {
    calls.add((pause ? "pause " : "resume ") + name);
    CompletionStage<Void> failed = injectedFailure();
    if (failed != null) {
      return failed;
    }
    if (!MODELS.contains(name)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no read model named " + name));
    }
    if (pause) {
      paused.add(name);
    } else {
      paused.remove(name);
    }
    return CompletableFuture.completedFuture(null);
  }

  synchronized void status(ProjectionStatus s) {
    statuses.add(s);
  }

  synchronized Set<String> rebuilding() {
    return Set.copyOf(rebuilding);
  }

  @Override
  public synchronized CompletionStage<List<ProjectionStatus>> projections() {
    calls.add("projections");
    CompletionStage<List<ProjectionStatus>> failed = injectedFailure();
    return failed != null ? failed : CompletableFuture.completedFuture(List.copyOf(statuses));
  }

  @Override
  public synchronized CompletionStage<Integer> rebuild(String name) {
    calls.add("rebuild " + name);
    CompletionStage<Integer> failed = injectedFailure();
    if (failed != null) {
      return failed;
    }
    if (!MODELS.contains(name)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no read model named " + name));
    }
    if (!rebuilding.add(name)) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(name + " is already rebuilding"));
    }
    return CompletableFuture.completedFuture(activeGenerations.getOrDefault(name, 1) + 1);
  }

  synchronized void deadLetter(DeadLetter d) {
    deadLetters.add(d);
  }

  @Override
  public synchronized CompletionStage<List<DeadLetter>> deadLetters(int limit) {
    calls.add("dead-letters " + limit);
    CompletionStage<List<DeadLetter>> failed = injectedFailure();
    return failed != null
        ? failed
        : CompletableFuture.completedFuture(
            List.copyOf(deadLetters.subList(0, Math.min(limit, deadLetters.size()))));
  }

  @Override
  public synchronized CompletionStage<Boolean> discardDeadLetter(
      String projection, String persistenceId, long seqNr) {
    calls.add("discard " + projection + " " + persistenceId + " " + seqNr);
    CompletionStage<Boolean> failed = injectedFailure();
    return failed != null
        ? failed
        : CompletableFuture.completedFuture(
            deadLetters.removeIf(
                d ->
                    d.projection().equals(projection)
                        && d.persistenceId().equals(persistenceId)
                        && d.seqNr() == seqNr));
  }

  /** The outcome the next retries report for a dead letter that exists (APPLIED unless set). */
  private String retryOutcome = "APPLIED";

  synchronized void retryOutcome(String outcome) {
    retryOutcome = outcome;
  }

  @Override
  public synchronized CompletionStage<DeadLetterRetried> retryDeadLetter(
      String projection, String persistenceId, long seqNr) {
    calls.add("retry " + projection + " " + persistenceId + " " + seqNr);
    CompletionStage<DeadLetterRetried> failed = injectedFailure();
    if (failed != null) {
      return failed;
    }
    boolean exists =
        deadLetters.stream()
            .anyMatch(
                d ->
                    d.projection().equals(projection)
                        && d.persistenceId().equals(persistenceId)
                        && d.seqNr() == seqNr);
    if (!exists) {
      return CompletableFuture.completedFuture(new DeadLetterRetried("NOT_FOUND", "none"));
    }
    if (retryOutcome.equals("APPLIED")) {
      deadLetters.removeIf(
          d ->
              d.projection().equals(projection)
                  && d.persistenceId().equals(persistenceId)
                  && d.seqNr() == seqNr);
    }
    return CompletableFuture.completedFuture(
        new DeadLetterRetried(retryOutcome, "IllegalStateException: still poison"));
  }
}
