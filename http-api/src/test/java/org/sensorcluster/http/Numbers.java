package org.sensorcluster.http;

import java.util.Random;

/**
 * JSON number texts for {@link Property} inputs: every shape the grammar allows, and edge values.
 */
final class Numbers {

  private Numbers() {}

  /**
   * A valid JSON number (finite or not once read as a double: {@code 1e999} is valid JSON):
   * integer, fraction and exponent parts of any length the grammar allows, and Java's renderings of
   * doubles.
   */
  static Gen<String> json() {
    return Gen.<String>choice()
        .or(3, Numbers::grammar)
        .or(2, r -> Double.toString(doubles().next(r)))
        .or(1, Gen.ints(Integer.MIN_VALUE, Integer.MAX_VALUE).map(String::valueOf))
        .or(1, Gen.longs(Long.MIN_VALUE, Long.MAX_VALUE).map(String::valueOf));
  }

  /** A JSON number text whose value is a finite double (as Java reads it). */
  static Gen<String> finiteJson() {
    return r -> {
      String s = json().next(r);
      return Double.isFinite(Double.parseDouble(s)) ? s : Double.toString(r.nextDouble());
    };
  }

  /** Finite doubles of every kind: small, huge, subnormal, negative zero, random bit patterns. */
  static Gen<Double> doubles() {
    return Gen.<Double>choice()
        .or(
            2,
            Gen.elements(
                0.0,
                -0.0,
                1.0,
                -1.0,
                0.1,
                Double.MIN_VALUE,
                -Double.MIN_VALUE,
                Double.MAX_VALUE,
                -Double.MAX_VALUE,
                Double.MIN_NORMAL,
                1e-310,
                9007199254740993.0,
                123456.789))
        .or(3, r -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(20) - 6))
        .or(
            2,
            r -> {
              double d = Double.longBitsToDouble(r.nextLong());
              return Double.isFinite(d) ? d : r.nextGaussian();
            });
  }

  /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? with parts of 1 to 25 digits. */
  private static String grammar(Random r) {
    StringBuilder b = new StringBuilder();
    if (r.nextBoolean()) {
      b.append('-');
    }
    if (r.nextInt(4) == 0) {
      b.append('0');
    } else {
      b.append((char) ('1' + r.nextInt(9))).append(digits(r, r.nextInt(25)));
    }
    if (r.nextBoolean()) {
      b.append('.').append(digits(r, 1 + r.nextInt(25)));
    }
    if (r.nextBoolean()) {
      b.append(r.nextBoolean() ? 'e' : 'E')
          .append(Gen.elements("", "+", "-").next(r))
          .append(
              r.nextInt(5) == 0 ? digits(r, 1 + r.nextInt(4)) : Integer.toString(r.nextInt(330)));
    }
    return b.toString();
  }

  private static String digits(Random r, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('0' + r.nextInt(10)));
    }
    return b.toString();
  }
}
