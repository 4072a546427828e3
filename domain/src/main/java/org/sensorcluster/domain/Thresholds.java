package org.sensorcluster.domain;

/**
 * Alert limits of a sensor. A reading above {@code max} or below {@code min} raises an alert; it
 * clears once a reading is back inside by more than {@code hysteresis}, so a value hovering on a
 * limit does not raise and clear over and over. Either limit may be absent (null). Persisted inside
 * events: add fields only as optional ones.
 */
public record Thresholds(Double min, Double max, double hysteresis) {

  public Thresholds {
    if (min != null && !Double.isFinite(min)) {
      throw new InvalidInputException("thresholds.min must be a finite number");
    }
    if (max != null && !Double.isFinite(max)) {
      throw new InvalidInputException("thresholds.max must be a finite number");
    }
    if (min != null && max != null && !(min < max)) {
      throw new InvalidInputException("thresholds.min must be less than thresholds.max");
    }
    if (!Double.isFinite(hysteresis) || hysteresis < 0) {
      throw new InvalidInputException("thresholds.hysteresis must be a finite number >= 0");
    }
    if (min != null && max != null && hysteresis >= max - min) {
      throw new InvalidInputException("thresholds.hysteresis must be smaller than max - min");
    }
  }

  /** The limit {@code value} is outside of, or null when it is within [min, max]. */
  public AlertBound breached(double value) {
    if (max != null && value > max) {
      return AlertBound.ABOVE_MAX;
    }
    if (min != null && value < min) {
      return AlertBound.BELOW_MIN;
    }
    return null;
  }

  /**
   * Whether an alert on {@code bound} clears at {@code value}: back inside by more than the
   * hysteresis.
   */
  public boolean clears(AlertBound bound, double value) {
    return switch (bound) {
      case ABOVE_MAX -> max == null || max - value > hysteresis;
      case BELOW_MIN -> min == null || value - min > hysteresis;
      case SILENT -> false; // not a limit: a silence alert ends with the next reading
    };
  }
}
