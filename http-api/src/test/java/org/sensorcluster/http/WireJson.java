package org.sensorcluster.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * JSON text for {@link Property} inputs, written by hand so that it can also be wrong on purpose:
 * members as (key, raw value text) pairs, strings escaped in random but valid ways, arbitrary valid
 * values, and text-level damage (truncation, deletions, hostile snippets, trailing garbage).
 */
final class WireJson {

  private WireJson() {}

  /** One member of an object: its key and its value as JSON text (not necessarily valid). */
  record Member(String key, String value) {}

  static String object(List<Member> members) {
    StringBuilder b = new StringBuilder("{");
    for (Member m : members) {
      b.append(b.length() > 1 ? "," : "").append(quote(m.key())).append(':').append(m.value());
    }
    return b.append('}').toString();
  }

  static String array(List<String> values) {
    return "[" + String.join(",", values) + "]";
  }

  /** {@code s} as a JSON string: what must be escaped is, non-ASCII is left as is. */
  static String quote(String s) {
    return quote(s, null);
  }

  /**
   * {@code s} as a JSON string; with a random, non-ASCII and some ASCII are also \\u-escaped at
   * random.
   */
  static String quote(String s, Random random) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      boolean escape =
          cp < 0x20
              || Character.isSurrogate((char) cp) // a lone surrogate has no UTF-8
              || random != null && (cp > 0x7e ? random.nextBoolean() : random.nextInt(20) == 0);
      if (cp == '"' || cp == '\\') {
        b.append('\\').append((char) cp);
      } else if (escape) {
        for (int k = i; k < i + n; k++) { // a pair as two escapes
          b.append(
              String.format(
                  random != null && random.nextBoolean() ? "\\u%04X" : "\\u%04x",
                  (int) s.charAt(k)));
        }
      } else {
        b.appendCodePoint(cp);
      }
      i += n;
    }
    return b.append('"').toString();
  }

  /** Any valid JSON value, nested at most {@code depth} deep; object keys are unique. */
  static Gen<String> anyValue(int depth) {
    Gen.Choice<String> scalars =
        Gen.<String>choice()
            .or(1, Gen.elements("null", "true", "false"))
            .or(2, Numbers.json())
            .or(2, r -> quote(HostileText.strings(30).next(r), r));
    if (depth <= 0) {
      return scalars;
    }
    Gen<String> inner = anyValue(depth - 1);
    Gen<String> array = Gen.listOf(inner, 0, 4).map(WireJson::array);
    Gen<String> object =
        r -> {
          List<Member> members = new ArrayList<>();
          Set<String> keys = new HashSet<>();
          int n = r.nextInt(4);
          for (int i = 0; i < n; i++) {
            String k = HostileText.strings(8).next(r);
            if (keys.add(k)) {
              members.add(new Member(k, inner.next(r)));
            }
          }
          return object(members);
        };
    return Gen.<String>choice().or(4, scalars).or(1, array).or(1, object);
  }

  /** {@code depth} nested arrays, or objects with the member "a", around {@code core}. */
  static String nested(int depth, boolean objects, String core) {
    String open = objects ? "{\"a\":" : "[";
    String close = objects ? "}" : "]";
    return open.repeat(depth) + core + close.repeat(depth);
  }

  /** Snippets that break JSON or stretch a parser's limits. */
  static Gen<String> hostileSnippet() {
    return Gen.<String>choice()
        .or(
            4,
            Gen.elements(
                "\"",
                "{",
                "}",
                "[",
                "]",
                ",",
                ":",
                "\\",
                "null",
                "tru",
                "NaN",
                "Infinity",
                "-Infinity",
                "+1",
                "01",
                ".5",
                "1.",
                "0x1F",
                "1e999",
                "-1e999",
                "1e-999",
                "'x'",
                "/* c */",
                "// c\n",
                "#",
                "\u0000",
                "\"\\u0000\"",
                "\"\\ud800\"",
                "\"\\udc00\\ud800\"",
                "\"\\x41\"",
                "\"\\u12\"",
                "\ufeff",
                "\u2028",
                "\"\u0001\"",
                "\"\n\"",
                "\"😀\"",
                "\ud800",
                "\"s-1\"",
                "\"value\"",
                "\"value\":",
                "\"value\":1"))
        .or(1, r -> "9".repeat(Gen.ints(300, 1_200).next(r)))
        .or(1, r -> nested(Gen.ints(20, 2_000).next(r), r.nextBoolean(), "1"))
        .or(1, r -> "[".repeat(Gen.ints(20, 2_000).next(r)))
        .or(1, r -> "\"" + "x".repeat(Gen.ints(60_000, 70_000).next(r)) + "\"")
        .or(1, r -> quote(HostileText.strings(40).next(r), r));
  }

  /**
   * {@code json} damaged one to three times: cut, chunk deleted, snippet inserted, garbage
   * appended...
   */
  static Gen<String> damaged(Gen<String> json) {
    return r -> {
      String s = json.next(r);
      int n = 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) {
        s = damageOnce(s, r);
      }
      return s;
    };
  }

  private static String damageOnce(String s, Random r) {
    int at = s.isEmpty() ? 0 : r.nextInt(s.length() + 1);
    switch (r.nextInt(6)) {
      case 0:
        return s.substring(0, at);
      case 1:
        return s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + r.nextInt(8)));
      case 2:
        return s.substring(0, at) + hostileSnippet().next(r) + s.substring(at);
      case 3:
        return s + hostileSnippet().next(r);
      case 4:
        return hostileSnippet().next(r) + s;
      default:
        return s.substring(0, at)
            + new StringBuilder().appendCodePoint(HostileText.codePoint().next(r))
            + s.substring(Math.min(s.length(), at + 1));
    }
  }
}
