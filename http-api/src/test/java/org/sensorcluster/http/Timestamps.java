package org.sensorcluster.http;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;

/** RFC 3339 timestamps for {@link Property} inputs, with the instant each one means. */
final class Timestamps {

  private Timestamps() {}

  /** A timestamp as text and the instant it denotes. */
  record Stamp(String text, Instant instant) {}

  /** Instants in [from, to], the bounds themselves more often than chance would give them. */
  static Gen<Instant> between(Instant from, Instant to) {
    long span = Duration.between(from, to).getSeconds();
    return r ->
        switch (r.nextInt(20)) {
          case 0 -> from;
          case 1 -> to;
          default -> {
            Instant at = from.plusSeconds(Math.floorMod(r.nextLong(), span));
            yield at.plusNanos(nanos(r));
          }
        };
  }

  /**
   * {@code instant} written at a random offset (up to ±18:00), with 0 to 9 fraction digits as
   * needed.
   */
  static Gen<Stamp> rfc3339(Gen<Instant> instants) {
    return r -> {
      Instant at = instants.next(r);
      int offsetMinutes = r.nextInt(3) == 0 ? 0 : r.nextInt(2 * 18 * 60 + 1) - 18 * 60;
      LocalDateTime local =
          LocalDateTime.ofEpochSecond(
              at.getEpochSecond(), 0, ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
      StringBuilder b =
          new StringBuilder(
              String.format(
                  "%04d-%02d-%02d%c%02d:%02d:%02d",
                  local.getYear(),
                  local.getMonthValue(),
                  local.getDayOfMonth(),
                  r.nextInt(8) == 0 ? 't' : 'T',
                  local.getHour(),
                  local.getMinute(),
                  local.getSecond()));
      String nine = String.format("%09d", at.getNano());
      int needed = 9;
      while (needed > 0 && nine.charAt(needed - 1) == '0') {
        needed--;
      }
      int digits = needed + r.nextInt(10 - needed);
      if (digits > 0) {
        b.append('.').append(nine, 0, digits);
      }
      if (offsetMinutes == 0 && r.nextInt(4) != 0) {
        b.append(r.nextInt(5) == 0 ? 'z' : 'Z');
      } else {
        int abs = Math.abs(offsetMinutes);
        b.append(offsetMinutes < 0 || offsetMinutes == 0 && r.nextBoolean() ? '-' : '+')
            .append(String.format("%02d:%02d", abs / 60, abs % 60));
      }
      return new Stamp(b.toString(), at);
    };
  }

  private static int nanos(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> 0;
      case 1 -> r.nextInt(1000) * 1_000_000;
      case 2 -> r.nextInt(1_000_000) * 1_000;
      default -> r.nextInt(1_000_000_000);
    };
  }
}
