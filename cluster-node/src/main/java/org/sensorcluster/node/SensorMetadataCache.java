package org.sensorcluster.node;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorSummary;

/**
 * The metadata (type, labels) of the sensors whose events pass through this node's live streams,
 * for the fleet stream's filters: looked up once per sensor in the read model, kept up to date from
 * the metadata events that pass by, and bounded (least recently used sensors are forgotten).
 */
final class SensorMetadataCache {

  private final int capacity;
  private final Function<String, CompletionStage<Optional<SensorSummary>>> latest;
  private final Map<String, SensorMetadata> known;

  SensorMetadataCache(
      int capacity, Function<String, CompletionStage<Optional<SensorSummary>>> latest) {
    this.capacity = capacity;
    this.latest = latest;
    this.known = new LinkedHashMap<>(16, 0.75f, true);
  }

  /**
   * The sensor's metadata: {@link SensorMetadata#NONE} when it has none or the read model has no
   * row of it yet (remembered too, so that a sensor's events do not each cost a query while the
   * read model lags: its registration, when it comes, passes by as an event), null when the read
   * model cannot say.
   */
  CompletionStage<SensorMetadata> get(String sensorId) {
    SensorMetadata m;
    synchronized (known) {
      m = known.get(sensorId);
    }
    if (m != null) {
      return CompletableFuture.completedFuture(m);
    }
    return latest
        .apply(sensorId)
        .handle(
            (row, failure) -> {
              if (failure != null) {
                return null; // not cached: asked again next time
              }
              SensorMetadata found = row.map(SensorSummary::metadata).orElse(SensorMetadata.NONE);
              synchronized (known) {
                known.putIfAbsent(sensorId, found);
                trim();
              }
              return found;
            });
  }

  void put(String sensorId, SensorMetadata metadata) {
    synchronized (known) {
      known.put(sensorId, metadata);
      trim();
    }
  }

  private void trim() {
    var it = known.entrySet().iterator();
    while (known.size() > capacity && it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
