package org.sensorcluster.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Rfc3339} must accept exactly what the java.time parser it replaced accepted, and give the
 * same instant: checked on fixed edge cases and on a few hundred thousand generated strings, valid
 * and broken, against that reference.
 */
class Rfc3339Test {

  /**
   * The implementation ReadingRules used before (regex for the shape, then ISO_OFFSET_DATE_TIME).
   */
  private static final Pattern SHAPE =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

  private static Instant reference(String text) {
    if (!SHAPE.matcher(text).matches()) {
      return null;
    }
    String normalized =
        text.charAt(10) == 't' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
    if (normalized.endsWith("z")) {
      normalized = normalized.substring(0, normalized.length() - 1) + 'Z';
    }
    try {
      return OffsetDateTime.parse(normalized, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-22T10:00:00Z",
        "2026-11-22t10:00:00z",
        "2026-11-22T10:00:00.1Z",
        "2026-11-22T10:00:00.123456789Z",
        "2026-11-22T10:00:00.000000001+01:00",
        "2026-11-22T10:00:00-05:30",
        "2026-11-22T00:30:00+18:00",
        "2026-11-22T00:30:00-18:00",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999999999Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999-18:00",
        "2024-02-29T12:00:00Z",
        "2000-02-29T12:00:00Z",
        "2026-01-31T23:59:59+00:00",
        "2026-01-01T00:00:00-00:00"
      })
  void validTimestampsGiveTheReferenceInstant(String text) {
    assertEquals(reference(text), Rfc3339.parse(text));
    assertEquals(reference(text), ReadingRules.parseTimestamp(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "2026-11-22",
        "2026-11-22T10:00Z",
        "2026-11-22T10:00:00",
        "2026-11-22 10:00:00Z",
        "2026-11-22T10:00:00.Z",
        "2026-11-22T10:00:00.1234567890Z",
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-11-00T00:00:00Z",
        "2026-11-22T24:00:00Z",
        "2026-11-22T10:60:00Z",
        "2026-11-22T10:00:60Z",
        "2026-11-22T10:00:00+18:01",
        "2026-11-22T10:00:00+19:00",
        "2026-11-22T10:00:00+01:60",
        "2026-11-22T10:00:00+0100",
        "2026-11-22T10:00:00+01",
        "2026-11-22T10:00:00ZZ",
        "2026-11-22T10:00:00Z ",
        " 2026-11-22T10:00:00Z",
        "+12026-11-22T10:00:00Z",
        "2026-11-22T10:00:00.12a4Z",
        "2026-1a-22T10:00:00Z",
        "2026-11-22T10:00:00\u0661Z",
        "\u0662026-11-22T10:00:00Z",
        "2026-11-22T10:00:00+01:00:00",
        "2026/11/22T10:00:00Z"
      })
  void invalidTimestampsAreRejectedLikeTheReference(String text) {
    assertNull(reference(text), "reference accepted " + text);
    assertNull(Rfc3339.parse(text), text);
  }

  @Test
  void agreesWithTheReferenceOnGeneratedStrings() {
    Random random = new Random(3339);
    String alphabet = "0123456789-:.TtZz+ x";
    int accepted = 0;
    for (int k = 0; k < 300_000; k++) {
      String text = generate(random);
      if (random.nextInt(4) == 0) { // a mutation: one character replaced, dropped or inserted
        StringBuilder b = new StringBuilder(text);
        int at = random.nextInt(b.length());
        switch (random.nextInt(3)) {
          case 0 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> b.deleteCharAt(at);
          default -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
        text = b.toString();
      }
      Instant expected = reference(text);
      assertEquals(expected, Rfc3339.parse(text), text);
      if (expected != null) {
        accepted++;
      }
    }
    // Both sides of the boundary were exercised.
    org.junit.jupiter.api.Assertions.assertTrue(
        accepted > 50_000 && accepted < 250_000, "accepted " + accepted);
  }

  /** Field values around and beyond their ranges, in the RFC 3339 shape. */
  private static String generate(Random r) {
    StringBuilder b = new StringBuilder();
    b.append(pad(r.nextInt(20) == 0 ? r.nextInt(10_000) : 1960 + r.nextInt(100), 4))
        .append('-')
        .append(pad(r.nextInt(14), 2))
        .append('-')
        .append(pad(r.nextInt(33), 2))
        .append(r.nextBoolean() ? 'T' : 't')
        .append(pad(r.nextInt(26), 2))
        .append(':')
        .append(pad(r.nextInt(62), 2))
        .append(':')
        .append(pad(r.nextInt(62), 2));
    if (r.nextBoolean()) {
      b.append('.');
      int digits = r.nextInt(11);
      for (int d = 0; d < digits; d++) {
        b.append((char) ('0' + r.nextInt(10)));
      }
    }
    switch (r.nextInt(4)) {
      case 0 -> b.append('Z');
      case 1 -> b.append('z');
      default ->
          b.append(r.nextBoolean() ? '+' : '-')
              .append(pad(r.nextInt(20), 2))
              .append(':')
              .append(pad(r.nextInt(62), 2));
    }
    return b.toString();
  }

  private static String pad(int value, int width) {
    String s = Integer.toString(value);
    return "0".repeat(Math.max(0, width - s.length())) + s;
  }
}
