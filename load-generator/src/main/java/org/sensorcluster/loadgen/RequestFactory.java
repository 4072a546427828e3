package org.sensorcluster.loadgen;

import java.nio.charset.StandardCharsets;

/**
 * Builds request bodies. Readings are numbered globally (0, 1, 2, ... across all connections); a
 * request carries readings {@code base .. base+R-1}. Reading {@code n} has readingId {@code
 * <runId>-<n>} (unique within a run, and across runs with distinct run ids).
 *
 * <p>Sensors: in array/NDJSON mode reading {@code n} belongs to sensor {@code n % sensors}, so a
 * request of R <= sensors readings touches R distinct sensors and consecutive requests walk over
 * all of them. In single mode every reading of a request belongs to the request's sensor, {@code
 * (base / R) % sensors}. Both are pure functions of {@code base}, so what a 202 acknowledged can be
 * written out from the base alone.
 */
final class RequestFactory {

  private final LoadSettings settings;

  RequestFactory(LoadSettings settings) {
    this.settings = settings;
  }

  String sensorOf(long base, int i) {
    long n =
        settings.mode() == LoadSettings.Mode.SINGLE
            ? base / settings.readingsPerRequest()
            : base + i;
    return settings.sensorPrefix() + (n % settings.sensors());
  }

  String readingIdOf(long base, int i) {
    return settings.runId() + "-" + (base + i);
  }

  String path(long base) {
    return settings.mode() == LoadSettings.Mode.SINGLE
        ? "/api/v1/sensors/" + sensorOf(base, 0) + "/readings"
        : "/api/v1/readings";
  }

  String contentType() {
    return settings.mode() == LoadSettings.Mode.NDJSON
        ? "application/x-ndjson"
        : "application/json";
  }

  /** The body for readings {@code base..base+R-1}, all stamped {@code timestamp} (RFC 3339). */
  byte[] body(long base, String timestamp) {
    int r = settings.readingsPerRequest();
    StringBuilder b = new StringBuilder(r * 96);
    switch (settings.mode()) {
      case SINGLE -> {
        if (r > 1) b.append('[');
        for (int i = 0; i < r; i++) {
          if (i > 0) b.append(',');
          reading(b, null, base, i, timestamp);
        }
        if (r > 1) b.append(']');
      }
      case ARRAY -> {
        b.append('[');
        for (int i = 0; i < r; i++) {
          if (i > 0) b.append(',');
          reading(b, sensorOf(base, i), base, i, timestamp);
        }
        b.append(']');
      }
      case NDJSON -> {
        for (int i = 0; i < r; i++) {
          reading(b, sensorOf(base, i), base, i, timestamp);
          b.append('\n');
        }
      }
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private void reading(StringBuilder b, String sensorId, long base, int i, String timestamp) {
    b.append('{');
    if (sensorId != null) b.append("\"sensorId\":\"").append(sensorId).append("\",");
    long n = base + i;
    b.append("\"readingId\":\"")
        .append(settings.runId())
        .append('-')
        .append(n)
        .append("\",")
        .append("\"timestamp\":\"")
        .append(timestamp)
        .append("\",")
        .append("\"value\":")
        .append(n % 1000)
        .append(".5}");
  }
}
