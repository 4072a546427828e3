package org.sensorcluster.domain.view;

import java.time.Duration;

/** Resolution of a readings query. */
public enum Step {
  RAW(Duration.ZERO, "raw"),
  MINUTE(Duration.ofMinutes(1), "1m"),
  HOUR(Duration.ofHours(1), "1h");

  private final Duration width;
  private final String label;

  Step(Duration width, String label) {
    this.width = width;
    this.label = label;
  }

  public Duration width() {
    return width;
  }

  public String label() {
    return label;
  }

  /** The step for {@code raw}, {@code 1m} or {@code 1h}; null for anything else. */
  public static Step parse(String s) {
    for (Step step : values()) {
      if (step.label.equals(s)) {
        return step;
      }
    }
    return null;
  }
}
