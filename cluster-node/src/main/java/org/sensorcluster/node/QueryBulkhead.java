package org.sensorcluster.node;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.sensorcluster.http.ServiceUnavailableException;

/**
 * At most {@code max} read-model queries on the database at once on this node, fewer than the
 * read-model pool's connections: a flood of queries gets 503 + Retry-After instead of taking the
 * connections the projections need to keep the read models current. A permit is held until the
 * query's database work ends (not merely until its HTTP answer timed out).
 */
final class QueryBulkhead {

  private final Semaphore permits;
  private final int max;
  private final Duration retryAfter;

  QueryBulkhead(int max, Duration retryAfter) {
    if (max < 1) {
      throw new IllegalArgumentException("max-queries-in-flight must be at least 1, got " + max);
    }
    this.permits = new Semaphore(max);
    this.max = max;
    this.retryAfter = retryAfter;
  }

  /**
   * {@code sensors.http.max-queries-in-flight}: a number, or auto = half the read-model pool (at
   * least 1).
   */
  static int maxOf(String configured, int readModelPool) {
    if (configured.equals("auto")) {
      return Math.max(1, readModelPool / 2);
    }
    try {
      return Integer.parseInt(configured);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "SENSORS_HTTP_MAX_QUERIES_IN_FLIGHT must be a number or auto, got '" + configured + "'");
    }
  }

  <T> CompletionStage<T> run(Supplier<CompletionStage<T>> query) {
    if (!permits.tryAcquire()) {
      return CompletableFuture.failedFuture(
          new ServiceUnavailableException(
              "too many queries in flight on this node (" + max + "); retry later", retryAfter));
    }
    CompletionStage<T> stage;
    try {
      stage = query.get();
    } catch (RuntimeException e) {
      permits.release();
      return CompletableFuture.failedFuture(e);
    }
    // The answer completes after the release, so a client that asks again the moment it has its
    // answer finds the permit free. It is a future of its own: a timeout that completes the answer
    // early leaves the permit held until the database work itself ends.
    CompletableFuture<T> answer = new CompletableFuture<>();
    stage.whenComplete(
        (v, t) -> {
          permits.release();
          if (t != null) {
            answer.completeExceptionally(t);
          } else {
            answer.complete(v);
          }
        });
    return answer;
  }

  int available() {
    return permits.availablePermits();
  }
}
