package org.sensorcluster.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Shrinkers for {@link Property}: smaller variants of a failing input; and how inputs are shown.
 */
final class Shrinks {

  private Shrinks() {}

  /** A valid document and non-blank content after it: shrinks the content after it only. */
  record Trailing(String doc, String after) {
    String body() {
      return doc + after;
    }

    /** The smallest document first, then shorter content after it. */
    Stream<Trailing> shrink() {
      Stream<Trailing> emptyDoc =
          doc.equals("{}") ? Stream.empty() : Stream.of(new Trailing("{}", after));
      return Stream.concat(
          emptyDoc, string(after).filter(a -> !a.isBlank()).map(a -> new Trailing(doc, a)));
    }
  }

  /** A chunk [from, to) of an input. */
  private record Cut(int from, int to) {}

  /**
   * {@code s} without one of its chunks: halves first, then quarters, ... then single characters.
   */
  static Stream<String> string(String s) {
    return cuts(s.length()).stream().map(c -> s.substring(0, c.from()) + s.substring(c.to()));
  }

  /** {@code b} without one of its chunks, as {@link #string}. */
  static Stream<byte[]> bytes(byte[] b) {
    return cuts(b.length).stream()
        .map(
            c -> {
              byte[] out = Arrays.copyOf(b, b.length - (c.to() - c.from()));
              System.arraycopy(b, c.to(), out, c.from(), b.length - c.to());
              return out;
            });
  }

  private static List<Cut> cuts(int n) {
    List<Cut> cuts = new ArrayList<>();
    for (int size = Math.max(1, n / 2); size >= 1; size = size == 1 ? 0 : Math.max(1, size / 2)) {
      for (int from = 0; from + size <= n; from += size) {
        cuts.add(new Cut(from, from + size));
      }
    }
    return cuts;
  }

  /**
   * {@code s} in quotes, with quotes, backslashes, control characters and non-ASCII as Java
   * escapes.
   */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        b.append(c);
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    return b.append('"').toString();
  }
}
