package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorSummary;

@Timeout(10)
class SensorMetadataCacheTest {

  static final SensorMetadata BOILER =
      new SensorMetadata(null, "boiler", null, null, Map.of("site", "a"), null);

  final List<String> asked = new ArrayList<>();

  SensorMetadataCache cache(int capacity) {
    return new SensorMetadataCache(
        capacity,
        id -> {
          asked.add(id);
          return switch (id) {
            case "down" ->
                CompletableFuture.failedFuture(new IllegalStateException("read model down"));
            case "registered" ->
                CompletableFuture.completedFuture(
                    Optional.of(new SensorSummary(id, 0, null, null, 1, BOILER, null, null)));
            case "readings-only" ->
                CompletableFuture.completedFuture(
                    Optional.of(new SensorSummary(id, 1, null, null, 1)));
            default -> CompletableFuture.completedFuture(Optional.empty());
          };
        });
  }

  @Test
  void asksTheReadModelOncePerSensor() {
    SensorMetadataCache c = cache(10);
    for (int i = 0; i < 2; i++) {
      assertEquals(BOILER, get(c, "registered"));
      assertEquals(SensorMetadata.NONE, get(c, "readings-only"));
      assertEquals(SensorMetadata.NONE, get(c, "no-row-yet"));
    }
    assertEquals(List.of("registered", "readings-only", "no-row-yet"), asked);
  }

  @Test
  void aFailureIsNotRememberedAndAnEventReplacesWhatWasLookedUp() {
    SensorMetadataCache c = cache(10);
    assertNull(get(c, "down"));
    assertNull(get(c, "down"));
    assertEquals(List.of("down", "down"), asked);
    assertEquals(SensorMetadata.NONE, get(c, "no-row-yet"));
    c.put("no-row-yet", BOILER);
    assertEquals(BOILER, get(c, "no-row-yet"));
  }

  @Test
  void forgetsTheLeastRecentlyUsedBeyondItsCapacity() {
    SensorMetadataCache c = cache(2);
    c.put("a", BOILER);
    c.put("b", BOILER);
    get(c, "a");
    c.put("c", BOILER); // b is the least recently used
    assertEquals(BOILER, get(c, "a"));
    assertEquals(SensorMetadata.NONE, get(c, "b"));
    assertEquals(List.of("b"), asked);
  }

  private static SensorMetadata get(SensorMetadataCache c, String id) {
    return c.get(id).toCompletableFuture().join();
  }
}
