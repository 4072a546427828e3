package org.sensorcluster.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns what a client sent into a {@link Reading}, or says precisely why it cannot. Stateless apart
 * from its settings; the clock is injected so tests can pin "now".
 */
public final class ReadingRules {

  public static final int MAX_READING_ID_LENGTH = 128;
  public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);

  /**
   * How far back a timestamp may be by default: about 10 years. Rejects the usual garbage of
   * devices without a set clock (year 0, 1970, 2000-01-01, GPS week roll-over ~20 years back), each
   * of which would otherwise make an hourly rollup bucket that is never deleted, while leaving room
   * for devices that were offline for months and for imports of several years of history.
   */
  public static final Duration DEFAULT_MAX_BACKFILL = Duration.ofDays(3650);

  private final Clock clock;
  private final Duration maxFutureSkew;
  private final Duration maxBackfill;

  public ReadingRules(Clock clock, Duration maxFutureSkew) {
    this(clock, maxFutureSkew, DEFAULT_MAX_BACKFILL);
  }

  /** {@code maxBackfill}: how far before the receive time a timestamp may be. */
  public ReadingRules(Clock clock, Duration maxFutureSkew, Duration maxBackfill) {
    if (maxFutureSkew.isNegative()) {
      throw new IllegalArgumentException("maxFutureSkew must not be negative");
    }
    if (maxBackfill.isNegative() || maxBackfill.isZero()) {
      throw new IllegalArgumentException("maxBackfill must be positive");
    }
    this.clock = clock;
    this.maxFutureSkew = maxFutureSkew;
    this.maxBackfill = maxBackfill;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Validates one reading as sent by a client.
   *
   * @param readingId optional, 1-128 printable ASCII characters
   * @param timestamp optional RFC 3339 date-time with offset
   * @param value required finite number (null means the field was missing)
   * @throws InvalidInputException with a message fit for an API client
   */
  public Reading validate(String readingId, String timestamp, Double value) {
    return validate(readingId, timestamp, value, clock.instant());
  }

  /** As {@link #validate(String, String, Double)} with the receive time supplied by the caller. */
  public Reading validate(String readingId, String timestamp, Double value, Instant receivedAt) {
    if (readingId != null) {
      String problem = readingIdProblem(readingId);
      if (problem != null) {
        throw new InvalidInputException(problem);
      }
    }
    if (value == null) {
      throw new InvalidInputException("value is required");
    }
    if (!Double.isFinite(value)) {
      throw new InvalidInputException("value must be a finite number");
    }
    Instant at = timestamp == null ? receivedAt : parseTimestamp(timestamp);
    if (at.isAfter(receivedAt.plus(maxFutureSkew))) {
      throw new InvalidInputException(
          "timestamp "
              + timestamp
              + " is more than "
              + maxFutureSkew.toSeconds()
              + " s in the future (server time "
              + receivedAt
              + ")");
    }
    if (at.isBefore(receivedAt.minus(maxBackfill))) {
      throw new InvalidInputException(
          "timestamp "
              + timestamp
              + " is more than "
              + maxBackfill.toDays()
              + " days in the past (server time "
              + receivedAt
              + "; the backfill horizon is sensors.readings.max-backfill)");
    }
    return new Reading(readingId, at, value);
  }

  static String readingIdProblem(String readingId) {
    if (readingId.isEmpty()) {
      return "readingId must not be empty when present";
    }
    if (readingId.length() > MAX_READING_ID_LENGTH) {
      return "readingId must be at most " + MAX_READING_ID_LENGTH + " characters";
    }
    for (int i = 0; i < readingId.length(); i++) {
      char c = readingId.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return "readingId must be printable ASCII without spaces (invalid character at position "
            + i
            + ")";
      }
    }
    return null;
  }

  /**
   * Parses an RFC 3339 date-time ({@code 2026-11-22T10:00:00Z}, {@code ...+01:00}, fractions
   * allowed).
   */
  public static Instant parseTimestamp(String text) {
    Instant at = Rfc3339.parse(text);
    if (at == null) {
      throw new InvalidInputException(
          "timestamp must be an RFC 3339 date-time with offset, e.g. "
              + "2026-11-22T10:00:00Z; got '"
              + abbreviate(text)
              + "'");
    }
    return at;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
