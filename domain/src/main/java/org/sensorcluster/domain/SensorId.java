package org.sensorcluster.domain;

import java.util.Objects;

/**
 * Identity of one sensor: 1-128 characters of {@code [A-Za-z0-9._:-]}. It is also the sharding
 * entity id and part of the persistence id, so the alphabet is deliberately small (safe in URLs,
 * logs, SQL).
 */
public record SensorId(String value) {

  public static final int MAX_LENGTH = 128;

  public SensorId {
    Objects.requireNonNull(value, "sensor id");
    String problem = problemWith(value);
    if (problem != null) {
      throw new InvalidInputException(problem);
    }
  }

  public static SensorId of(String value) {
    return new SensorId(value);
  }

  /** Why {@code candidate} is not a valid sensor id, or null when it is valid. */
  public static String problemWith(String candidate) {
    if (candidate == null || candidate.isEmpty()) {
      return "sensorId must not be empty";
    }
    if (candidate.length() > MAX_LENGTH) {
      return "sensorId must be at most " + MAX_LENGTH + " characters, got " + candidate.length();
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return "sensorId may only contain A-Z a-z 0-9 . _ : - (invalid character at position "
            + i
            + ")";
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return value;
  }
}
