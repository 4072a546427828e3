package org.sensorcluster.domain;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What an operator says about a sensor. Every field is optional. Persisted inside events: add
 * fields only as optional ones.
 *
 * @param expectedInterval the longest the sensor may stay without sending before it counts as
 *     silent ({@link #MIN_EXPECTED_INTERVAL} .. {@link #MAX_EXPECTED_INTERVAL}); null: the fleet
 *     default applies
 */
public record SensorMetadata(
    String name,
    String type,
    String unit,
    Location location,
    Map<String, String> labels,
    Thresholds thresholds,
    Duration expectedInterval) {

  public static final int MAX_TEXT = 256;
  public static final int MAX_LABELS = 32;
  public static final int MAX_LABEL_KEY = 64;
  public static final int MAX_LABEL_VALUE = 256;
  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  public static final Duration MIN_EXPECTED_INTERVAL = Duration.ofSeconds(1);
  public static final Duration MAX_EXPECTED_INTERVAL = Duration.ofDays(30);

  public static final SensorMetadata NONE =
      new SensorMetadata(null, null, null, null, Map.of(), null);

  /** Metadata without an own expected interval. */
  public SensorMetadata(
      String name,
      String type,
      String unit,
      Location location,
      Map<String, String> labels,
      Thresholds thresholds) {
    this(name, type, unit, location, labels, thresholds, null);
  }

  public SensorMetadata {
    checkExpectedInterval(expectedInterval);
    checkText("name", name);
    checkText("unit", unit);
    checkText("type", type);
    if (type != null && (type.length() > 64 || !TYPE.matcher(type).matches())) {
      throw new InvalidInputException("type must be 1-64 letters, digits, '.', '_' or '-'");
    }
    labels =
        labels == null
            ? Map.of()
            : Collections.unmodifiableSortedMap(new TreeMap<>(labels)); // sorted: stable JSON
    if (labels.size() > MAX_LABELS) {
      throw new InvalidInputException("at most " + MAX_LABELS + " labels are allowed");
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String k = e.getKey();
      if (k.length() > MAX_LABEL_KEY || !LABEL_KEY.matcher(k).matches()) {
        throw new InvalidInputException(
            "label key '"
                + abbreviate(k)
                + "' must be 1-"
                + MAX_LABEL_KEY
                + " letters, digits, '.', '_', '/' or '-'");
      }
      if (e.getValue() == null
          || e.getValue().length() > MAX_LABEL_VALUE
          || hasControl(e.getValue())) {
        throw new InvalidInputException(
            "label '"
                + k
                + "' must have a value of at most "
                + MAX_LABEL_VALUE
                + " characters without control characters");
      }
    }
  }

  /**
   * Throws unless {@code interval} is null or within {@link #MIN_EXPECTED_INTERVAL}..{@link
   * #MAX_EXPECTED_INTERVAL}.
   */
  public static void checkExpectedInterval(Duration interval) {
    if (interval != null
        && (interval.compareTo(MIN_EXPECTED_INTERVAL) < 0
            || interval.compareTo(MAX_EXPECTED_INTERVAL) > 0)) {
      throw new InvalidInputException(
          "expectedInterval must be between PT1S and P30D; got " + interval);
    }
  }

  /** This metadata with {@code newLabels} instead of its labels. */
  public SensorMetadata withLabels(Map<String, String> newLabels) {
    return new SensorMetadata(name, type, unit, location, newLabels, thresholds, expectedInterval);
  }

  private static void checkText(String field, String value) {
    if (value == null) {
      return;
    }
    if (value.isEmpty() || value.length() > MAX_TEXT || hasControl(value)) {
      throw new InvalidInputException(
          field + " must be 1-" + MAX_TEXT + " characters without control characters");
    }
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
