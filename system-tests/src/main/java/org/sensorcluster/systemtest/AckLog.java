package org.sensorcluster.systemtest;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every reading the cluster acknowledged, as (sensor, readingId): what the checker requires to be
 * in the journal exactly once and in the read models. An acknowledgement of a resend of a reading
 * already acknowledged counts once.
 */
final class AckLog {

  private final Map<String, Set<String>> bySensor = new ConcurrentHashMap<>();
  private final AtomicLong count = new AtomicLong();

  void acknowledged(String sensor, String readingId) {
    if (bySensor.computeIfAbsent(sensor, k -> ConcurrentHashMap.newKeySet()).add(readingId)) {
      count.incrementAndGet();
    }
  }

  long count() {
    return count.get();
  }

  Map<String, Set<String>> snapshot() {
    return new TreeMap<>(bySensor);
  }

  /**
   * One "sensor readingId" line per acknowledged reading, for looking into a failure afterwards.
   */
  void writeTo(Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Map.Entry<String, Set<String>> e : snapshot().entrySet()) {
        for (String id : new java.util.TreeSet<>(e.getValue())) {
          w.write(e.getKey() + " " + id + "\n");
        }
      }
    }
  }
}
