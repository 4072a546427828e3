package org.sensorcluster.loadgen;

import java.time.Duration;
import java.util.Locale;

/**
 * A duration on the command line: seconds ({@code 30}, {@code 30s}, {@code 0.5}) or {@code 500ms}.
 */
final class DurationArg {

  private DurationArg() {}

  static Duration parse(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    if (s.endsWith("s")) s = s.substring(0, s.length() - 1);
    return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
  }
}
