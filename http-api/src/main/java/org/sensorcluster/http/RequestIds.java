package org.sensorcluster.http;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.slf4j.MDC;

/**
 * Correlation ids: the client's {@code X-Request-Id} when it is a sane token (1-128 characters of
 * letters, digits and {@code . _ : -}), else a new random 128-bit hex id. Every response carries it
 * back; the ingest path passes it to the entity (its log lines and the journal event) and from
 * there it reaches the projections' log lines. In logs it is the MDC key {@value #MDC_KEY}.
 */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "requestId";
  static final AttributeKey<String> ATTRIBUTE =
      AttributeKey.create("sensors-request-id", String.class);
  private static final int MAX_LENGTH = 128;

  private RequestIds() {}

  /** The id to use for a request whose {@code X-Request-Id} header is {@code header}. */
  static String of(Optional<String> header) {
    return header.filter(RequestIds::acceptable).orElseGet(RequestIds::generate);
  }

  static boolean acceptable(String id) {
    if (id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static String generate() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String hi = Long.toHexString(r.nextLong());
    String lo = Long.toHexString(r.nextLong());
    return "0".repeat(16 - hi.length()) + hi + "0".repeat(16 - lo.length()) + lo;
  }

  /**
   * Runs {@code logCall} with {@code requestId} in the MDC (and nothing else changed). Callers on
   * the ingest path check {@code log.isDebugEnabled()} first, so that no arguments are boxed when
   * it is off.
   */
  public static void withMdc(String requestId, Runnable logCall) {
    if (requestId == null) {
      logCall.run();
      return;
    }
    String previous = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, requestId);
    try {
      logCall.run();
    } finally {
      if (previous == null) {
        MDC.remove(MDC_KEY);
      } else {
        MDC.put(MDC_KEY, previous);
      }
    }
  }
}
