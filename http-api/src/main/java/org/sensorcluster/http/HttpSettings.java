package org.sensorcluster.http;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Limits and timeouts of the HTTP API, from {@code sensors.http}.
 *
 * @param singleMaxBytes body limit of {@code POST /sensors/{id}/readings}
 * @param batchMaxBytes body limit of {@code POST /readings}
 * @param batchMaxItems item limit of one batch (and of one single-sensor array)
 * @param batchChunkSize items grouped by sensor and sent to the entities together
 * @param batchChunksInFlight chunks of one batch being stored at the same time
 * @param maxInFlightIngest ingest requests served at once; more get 503 + Retry-After
 * @param retryAfter what {@code Retry-After} says when overloaded or a dependency failed
 * @param maxFutureSkew how far in the future a reading's timestamp may be
 * @param maxWritesInFlight sensor writes (one per sensor per request or batch chunk) in flight on
 *     this node; a request whose writes do not fit gets 503 + Retry-After before anything is
 *     written
 */
public record HttpSettings(
    long singleMaxBytes,
    long batchMaxBytes,
    int batchMaxItems,
    int batchChunkSize,
    int batchChunksInFlight,
    int maxInFlightIngest,
    Duration retryAfter,
    Duration maxFutureSkew,
    int maxWritesInFlight) {

  /** Without a write admission limit (tests of the routes themselves). */
  public HttpSettings(
      long singleMaxBytes,
      long batchMaxBytes,
      int batchMaxItems,
      int batchChunkSize,
      int batchChunksInFlight,
      int maxInFlightIngest,
      Duration retryAfter,
      Duration maxFutureSkew) {
    this(
        singleMaxBytes,
        batchMaxBytes,
        batchMaxItems,
        batchChunkSize,
        batchChunksInFlight,
        maxInFlightIngest,
        retryAfter,
        maxFutureSkew,
        Integer.MAX_VALUE);
  }

  public static HttpSettings fromConfig(Config sensors) {
    Config c = sensors.getConfig("http");
    return new HttpSettings(
        c.getBytes("single-max-bytes"),
        c.getBytes("batch-max-bytes"),
        c.getInt("batch-max-items"),
        c.getInt("batch-chunk-size"),
        c.getInt("batch-chunks-in-flight"),
        c.getInt("max-in-flight-ingest"),
        c.getDuration("retry-after"),
        sensors.getDuration("readings.max-future-skew"),
        c.getInt("max-writes-in-flight"));
  }

  /** Defaults as documented in the README; handy for tests. */
  public static HttpSettings defaults() {
    return new HttpSettings(
        1L << 20,
        16L << 20,
        10_000,
        1_000,
        4,
        1_024,
        Duration.ofSeconds(1),
        Duration.ofMinutes(5),
        2_000);
  }

  public HttpSettings withMaxInFlightIngest(int n) {
    return new HttpSettings(
        singleMaxBytes,
        batchMaxBytes,
        batchMaxItems,
        batchChunkSize,
        batchChunksInFlight,
        n,
        retryAfter,
        maxFutureSkew,
        maxWritesInFlight);
  }

  public HttpSettings withMaxWritesInFlight(int n) {
    return new HttpSettings(
        singleMaxBytes,
        batchMaxBytes,
        batchMaxItems,
        batchChunkSize,
        batchChunksInFlight,
        maxInFlightIngest,
        retryAfter,
        maxFutureSkew,
        n);
  }
}
