package org.sensorcluster.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sensorcluster.domain.SensorSummary;

/** Test fake of the read side: {@code sensor_latest} rows in a map, with a switch to fail. */
final class InMemoryQueries implements SensorQueries {

  static final Duration UNAVAILABLE_RETRY_AFTER = Duration.ofSeconds(4);

  private final Map<String, SensorSummary> rows = new HashMap<>();
  private final List<String> asked = new ArrayList<>();
  private boolean failing;

  synchronized void reset() {
    rows.clear();
    asked.clear();
    failing = false;
  }

  synchronized void put(SensorSummary summary) {
    rows.put(summary.sensorId(), summary);
  }

  synchronized void failing(boolean failing) {
    this.failing = failing;
  }

  synchronized List<String> asked() {
    return List.copyOf(asked);
  }

  @Override
  public synchronized CompletionStage<Optional<SensorSummary>> latest(String sensorId) {
    asked.add(sensorId);
    if (failing) {
      return CompletableFuture.failedFuture(
          new ServiceUnavailableException("read model unavailable", UNAVAILABLE_RETRY_AFTER));
    }
    return CompletableFuture.completedFuture(Optional.ofNullable(rows.get(sensorId)));
  }
}
