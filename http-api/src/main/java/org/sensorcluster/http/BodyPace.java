package org.sensorcluster.http;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * Slow clients: a request body must keep arriving at a minimum pace, else the request ends with 408
 * ({@link SlowBodyException}) and gives back its ingest slot. A body with no bytes for {@link
 * #IDLE} fails; so does one that, over any window of {@link #WINDOW}, brought fewer than {@link
 * #MIN_BYTES_PER_WINDOW} bytes (a trickle that never quite idles). The pace (1 KiB/s) is far below
 * any real device link, so a legitimate upload of the largest batch is never cut.
 */
final class BodyPace {

  static final Duration IDLE = Duration.ofSeconds(10);
  static final Duration WINDOW = Duration.ofSeconds(10);
  static final long MIN_BYTES_PER_WINDOW = 10 * 1024;

  private BodyPace() {}

  /** Passes the bytes through, failing the stream when they come too slowly. */
  static Flow<ByteString, ByteString, NotUsed> guard(LongSupplier nanos) {
    return Flow.<ByteString>create()
        .idleTimeout(IDLE)
        .mapError(
            new org.apache.pekko.japi.pf.PFBuilder<Throwable, Throwable>()
                .match(
                    java.util.concurrent.TimeoutException.class,
                    e ->
                        new SlowBodyException(
                            "no byte of the body arrived for " + IDLE.toSeconds() + " s"))
                .build())
        .statefulMap(
            () -> new long[] {nanos.getAsLong(), 0},
            (window, bytes) -> {
              long now = nanos.getAsLong();
              window[1] += bytes.size();
              if (now - window[0] >= WINDOW.toNanos()) {
                if (window[1] < MIN_BYTES_PER_WINDOW) {
                  throw new SlowBodyException(
                      "the body arrived at "
                          + window[1]
                          + " bytes in "
                          + (now - window[0]) / 1_000_000_000
                          + " s, below the minimum of "
                          + MIN_BYTES_PER_WINDOW / WINDOW.toSeconds()
                          + " bytes/s");
                }
                window[0] = now;
                window[1] = 0;
              }
              return org.apache.pekko.japi.Pair.create(window, bytes);
            },
            window -> java.util.Optional.empty());
  }

  /** A request body that came too slowly: 408. */
  static final class SlowBodyException extends RuntimeException {
    SlowBodyException(String message) {
      super(message);
    }
  }
}
