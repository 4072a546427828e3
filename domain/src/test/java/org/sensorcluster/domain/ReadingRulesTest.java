package org.sensorcluster.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadingRulesTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration SKEW = Duration.ofMinutes(5);
  private final ReadingRules rules = new ReadingRules(Clock.fixed(NOW, ZoneOffset.UTC), SKEW);

  private InvalidInputException rejects(String readingId, String timestamp, Double value) {
    return assertThrows(
        InvalidInputException.class, () -> rules.validate(readingId, timestamp, value));
  }

  // --- timestamp

  @Test
  void missingTimestampIsReceiveTime() {
    Reading r = rules.validate("r-1", null, 1.5);
    assertEquals(new Reading("r-1", NOW, 1.5), r);
  }

  @Test
  void missingTimestampUsesSuppliedReceiveTime() {
    Instant received = NOW.minusSeconds(7);
    assertEquals(received, rules.validate(null, null, 1.0, received).timestamp());
  }

  @Test
  void parsesUtcZ() {
    assertEquals(
        Instant.parse("2026-11-22T09:00:00Z"),
        rules.validate(null, "2026-11-22T09:00:00Z", 1.0).timestamp());
  }

  @Test
  void parsesOffset() {
    assertEquals(
        Instant.parse("2026-11-22T08:00:00Z"),
        rules.validate(null, "2026-11-22T10:00:00+02:00", 1.0).timestamp());
  }

  @Test
  void parsesNegativeOffset() {
    assertEquals(
        Instant.parse("2026-11-22T08:00:00Z"),
        rules.validate(null, "2026-11-22T03:00:00-05:00", 1.0).timestamp());
  }

  @Test
  void parsesFractionalSeconds() {
    assertEquals(
        Instant.parse("2026-11-22T09:59:59.123456789Z"),
        rules.validate(null, "2026-11-22T09:59:59.123456789Z", 1.0).timestamp());
    assertEquals(
        Instant.parse("2026-11-22T09:59:59.500Z"),
        rules.validate(null, "2026-11-22T09:59:59.5Z", 1.0).timestamp());
  }

  @Test
  void parsesLowerCaseTAndZ() {
    assertEquals(
        Instant.parse("2026-11-22T09:00:00Z"),
        rules.validate(null, "2026-11-22t09:00:00z", 1.0).timestamp());
    assertEquals(
        Instant.parse("2026-11-22T09:00:00Z"), ReadingRules.parseTimestamp("2026-11-22t09:00:00Z"));
    assertEquals(
        Instant.parse("2026-11-22T09:00:00Z"), ReadingRules.parseTimestamp("2026-11-22T09:00:00z"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-22 10:00:00",
        "2026-11-22 10:00:00Z",
        "yesterday",
        "2026-11-22T10:00:00",
        "2026-11-22T10:00:00.5",
        "2026-11-22",
        "",
        "1700000000",
        "2026-11-22T10:00Z",
        "2026-11-22T10:00:00+02:00:30",
        "2026-11-22T10:00:00+0200",
        "2026-11-22T10:00:00.Z"
      })
  void rejectsMalformedOrOffsetlessTimestamps(String bad) {
    InvalidInputException e = rejects(null, bad, 1.0);
    assertTrue(
        e.getMessage().startsWith("timestamp must be an RFC 3339 date-time with offset"),
        e.getMessage());
    assertTrue(e.getMessage().contains("got '" + bad + "'"), e.getMessage());
  }

  @Test
  void rejectionMessageAbbreviatesLongInput() {
    String bad = "x".repeat(100);
    InvalidInputException e = rejects(null, bad, 1.0);
    assertTrue(e.getMessage().endsWith("got '" + "x".repeat(40) + "...'"), e.getMessage());
  }

  @Test
  void acceptsTimestampExactlySkewInFuture() {
    Instant edge = NOW.plus(SKEW);
    assertEquals(edge, rules.validate(null, edge.toString(), 1.0).timestamp());
  }

  @Test
  void rejectsTimestampMoreThanSkewInFuture() {
    String ts = NOW.plus(SKEW).plusMillis(1).toString();
    InvalidInputException e = rejects(null, ts, 1.0);
    assertTrue(e.getMessage().contains("more than 300 s in the future"), e.getMessage());
    assertTrue(e.getMessage().contains(ts), e.getMessage());
  }

  @Test
  void acceptsTimestampsInThePast() {
    assertEquals(
        Instant.parse("2020-01-01T00:00:00Z"),
        rules.validate(null, "2020-01-01T00:00:00Z", 1.0).timestamp());
  }

  @Test
  void rejectsTimestampsBeyondTheBackfillHorizon() {
    Instant edge = NOW.minus(ReadingRules.DEFAULT_MAX_BACKFILL);
    assertEquals(edge, rules.validate(null, edge.toString(), 1.0).timestamp());
    for (String ts :
        new String[] {
          edge.minusMillis(1).toString(),
          "0000-01-01T00:00:00Z",
          "1970-01-01T00:00:00Z",
          "2000-01-01T00:00:00Z"
        }) {
      InvalidInputException e = rejects(null, ts, 1.0);
      assertTrue(e.getMessage().contains("3650 days in the past"), e.getMessage());
    }
    ReadingRules shortHorizon =
        new ReadingRules(Clock.fixed(NOW, ZoneOffset.UTC), SKEW, Duration.ofDays(7));
    assertThrows(
        InvalidInputException.class,
        () -> shortHorizon.validate(null, "2026-11-14T10:00:00Z", 1.0));
    assertEquals(
        Instant.parse("2026-11-16T10:00:00Z"),
        shortHorizon.validate(null, "2026-11-16T10:00:00Z", 1.0).timestamp());
  }

  @Test
  void rejectsNegativeSkewSetting() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ReadingRules(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(-1)));
  }

  // --- value

  @Test
  void rejectsMissingValue() {
    assertEquals("value is required", rejects("r-1", null, null).getMessage());
  }

  @Test
  void rejectsNaNAndInfinities() {
    for (double bad :
        new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      assertEquals("value must be a finite number", rejects("r-1", null, bad).getMessage());
    }
  }

  @Test
  void acceptsExtremeFiniteValues() {
    assertEquals(Double.MAX_VALUE, rules.validate(null, null, Double.MAX_VALUE).value());
    assertEquals(-0.0, rules.validate(null, null, -0.0).value());
  }

  // --- readingId

  @Test
  void readingIdIsOptional() {
    assertNull(rules.validate(null, null, 1.0).readingId());
  }

  @Test
  void acceptsReadingIdOf128PrintableCharacters() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < 128; i++) {
      sb.append((char) (0x21 + i % (0x7e - 0x21 + 1))); // cycles through '!'..'~'
    }
    String id = sb.toString();
    assertEquals(id, rules.validate(id, null, 1.0).readingId());
  }

  @Test
  void rejectsReadingIdOf129Characters() {
    assertEquals(
        "readingId must be at most 128 characters",
        rejects("x".repeat(129), null, 1.0).getMessage());
  }

  @Test
  void rejectsEmptyReadingId() {
    assertEquals("readingId must not be empty when present", rejects("", null, 1.0).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b", "a\tb", "a\nb", "a\u0000b", "a\u007fb", "a\u00e9b", "a\u4e2db"})
  void rejectsReadingIdWithSpaceControlOrNonAscii(String bad) {
    InvalidInputException e = rejects(bad, null, 1.0);
    assertEquals(
        "readingId must be printable ASCII without spaces (invalid character at position 1)",
        e.getMessage());
  }
}
