package org.sensorcluster.http;

import java.time.Duration;

/** A dependency cannot answer now; the client should retry after {@link #retryAfter()}. */
public final class ServiceUnavailableException extends RuntimeException {

  private final Duration retryAfter;

  public ServiceUnavailableException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  public ServiceUnavailableException(String message, Duration retryAfter) {
    this(message, retryAfter, null);
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
