package org.sensorcluster.http;

import java.nio.charset.StandardCharsets;

/**
 * Generators of arbitrary text and bytes for {@link Property}: printable ASCII, JSON punctuation,
 * digits, whitespace, control characters, non-ASCII letters, emoji, lone surrogates, byte order
 * marks and line separators; bytes that are not UTF-8 at all.
 */
final class HostileText {

  private HostileText() {}

  static final String JSON_PUNCTUATION = "{}[]:,\"\\";
  static final String NUMBER_CHARS = "0123456789-+.eE";
  static final String BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /** One code point of any of the kinds above (lone surrogates included). */
  static Gen<Integer> codePoint() {
    return Gen.<Integer>choice()
        .or(6, Gen.ints(0x20, 0x7e))
        .or(3, Gen.elements(JSON_PUNCTUATION.chars().boxed().toList()))
        .or(2, Gen.elements(NUMBER_CHARS.chars().boxed().toList()))
        .or(1, Gen.elements((int) ' ', (int) '\t', (int) '\r', (int) '\n'))
        .or(1, Gen.oneOf(Gen.ints(0, 0x1f), Gen.constant(0x7f), Gen.ints(0x80, 0x9f)))
        .or(1, Gen.oneOf(Gen.ints(0xa0, 0x24f), Gen.ints(0x370, 0x6ff), Gen.ints(0x4e00, 0x9fff)))
        .or(1, Gen.oneOf(Gen.ints(0x1f300, 0x1faff), Gen.ints(0x10000, 0x10ffff)))
        .or(1, Gen.ints(0xd800, 0xdfff))
        .or(1, Gen.elements(0xfeff, 0xfffe, 0xffff, 0x2028, 0x2029, 0x85, 0x200b, 0x202e));
  }

  /** Strings of up to {@code max} code points of {@link #codePoint()}. */
  static Gen<String> strings(int max) {
    return Gen.codePoints(codePoint(), 0, max);
  }

  /** Strings of the characters a URL-safe token is made of, with a few others mixed in. */
  static Gen<String> tokenish(int max) {
    return Gen.<String>choice()
        .or(4, Gen.stringOf(BASE64URL, 0, max))
        .or(1, Gen.stringOf(BASE64URL + "+/=%.~ ", 0, max))
        .or(1, strings(max));
  }

  /** Bytes: UTF-8 of {@link #strings}, or raw bytes (mostly not UTF-8), or both mixed. */
  static Gen<byte[]> bytes(int max) {
    Gen<byte[]> raw =
        r -> {
          byte[] b = new byte[Gen.sizes(0, max).next(r)];
          r.nextBytes(b);
          return b;
        };
    Gen<byte[]> utf8 = strings(max).map(s -> s.getBytes(StandardCharsets.UTF_8));
    Gen<byte[]> mixed =
        r -> {
          byte[] a = utf8.next(r);
          if (a.length == 0) {
            return new byte[] {(byte) 0xff};
          }
          a[r.nextInt(a.length)] =
              (byte) (0x80 + r.nextInt(0x80)); // a stray continuation or lead byte
          return a;
        };
    return Gen.<byte[]>choice().or(2, raw).or(3, utf8).or(1, mixed);
  }
}
