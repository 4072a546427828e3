package org.sensorcluster.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sensorcluster.domain.view.ProjectionStatus;

/** Test fake of read-model administration: fixed statuses, rebuilds remembered. */
final class InMemoryAdmin implements ReadModelAdmin {

  static final Set<String> MODELS = Set.of("sensor_latest", "readings", "rollups", "alerts");

  private final List<ProjectionStatus> statuses = new ArrayList<>();
  private final Set<String> rebuilding = new HashSet<>();
  private final Set<String> paused = new HashSet<>();

  synchronized void reset() {
    statuses.clear();
    rebuilding.clear();
    paused.clear();
  }

  synchronized Set<String> paused() {
    return Set.copyOf(paused);
  }

  @Override
  public synchronized CompletionStage<Void> setPaused(String name, boolean pause) {
    if (!MODELS.contains(name)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("no read model named " + name));
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
    return CompletableFuture.completedFuture(List.copyOf(statuses));
  }

  @Override
  public synchronized CompletionStage<Integer> rebuild(String name) {
    if (!MODELS.contains(name)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("no read model named " + name));
    }
    if (!rebuilding.add(name)) {
      return CompletableFuture.failedFuture(new IllegalStateException(name + " is already rebuilding"));
    }
    return CompletableFuture.completedFuture(2);
  }
}
