package org.sensorcluster.http;

import java.time.Instant;
import java.util.Optional;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.domain.SensorId;

/**
 * Parsing of query parameters; every problem is a {@link BadParameterException} naming the
 * parameter.
 */
final class QueryParams {

  private QueryParams() {}

  /** A sensor and sequence number from {@code minSeq=<sensorId>:<n>}. */
  record MinSeq(String sensorId, long seqNr) {}

  /** A sensor list's label filter: {@code <key>} (value null: any) or {@code <key>:<value>}. */
  record Label(String key, String value) {}

  static String type(Optional<String> raw) {
    if (raw.isPresent() && (raw.get().isEmpty() || raw.get().length() > 64)) {
      throw new BadParameterException("type must be 1-64 characters");
    }
    return raw.orElse(null);
  }

  static Label label(Optional<String> raw) {
    if (raw.isEmpty()) {
      return null;
    }
    String label = raw.get();
    int colon = label.indexOf(':');
    String key = colon < 0 ? label : label.substring(0, colon);
    if (key.isEmpty() || key.length() > 64) {
      throw new BadParameterException(
          "label must be <key> or <key>:<value> with a key of 1-64 characters");
    }
    return new Label(key, colon < 0 ? null : label.substring(colon + 1));
  }

  static int intInRange(Optional<String> raw, String name, int min, int max, int dflt) {
    if (raw.isEmpty()) {
      return dflt;
    }
    try {
      int v = Integer.parseInt(raw.get().trim());
      if (v < min || v > max) {
        throw new BadParameterException(
            name + " must be between " + min + " and " + max + ", got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new BadParameterException(
          name + " must be an integer, got '" + abbreviate(raw.get()) + "'");
    }
  }

  /** An RFC 3339 instant with seconds and an offset, as readings use. */
  static Instant instant(Optional<String> raw, String name, Instant dflt) {
    if (raw.isEmpty()) {
      return dflt;
    }
    try {
      return ReadingRules.parseTimestamp(raw.get());
    } catch (RuntimeException e) {
      throw new BadParameterException(
          name
              + " must be an RFC 3339 time with offset, e.g. 2026-11-22T10:00:00Z"
              + " (write '+' as %2B in a URL), got '"
              + abbreviate(raw.get())
              + "'");
    }
  }

  static Boolean bool(Optional<String> raw, String name) {
    if (raw.isEmpty()) {
      return null;
    }
    return switch (raw.get()) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default ->
          throw new BadParameterException(
              name + " must be true or false, got '" + abbreviate(raw.get()) + "'");
    };
  }

  static String sensorId(Optional<String> raw, String name) {
    if (raw.isEmpty()) {
      return null;
    }
    String problem = SensorId.problemWith(raw.get());
    if (problem != null) {
      throw new BadParameterException(name + ": " + problem);
    }
    return raw.get();
  }

  static MinSeq minSeq(Optional<String> raw) {
    if (raw.isEmpty()) {
      return null;
    }
    String v = raw.get();
    int colon = v.lastIndexOf(':');
    if (colon <= 0 || colon == v.length() - 1) {
      throw new BadParameterException(
          "minSeq must be <sensorId>:<sequenceNr>, got '" + abbreviate(v) + "'");
    }
    String sensor = v.substring(0, colon);
    String problem = SensorId.problemWith(sensor);
    if (problem != null) {
      throw new BadParameterException("minSeq: " + problem);
    }
    try {
      long seq = Long.parseLong(v.substring(colon + 1));
      if (seq < 0) {
        throw new NumberFormatException();
      }
      return new MinSeq(sensor, seq);
    } catch (NumberFormatException e) {
      throw new BadParameterException(
          "minSeq must end in a sequence number >= 0, got '" + abbreviate(v) + "'");
    }
  }

  static String abbreviate(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }
}
