package org.sensorcluster.domain;

/**
 * The 128-bit fingerprint under which a sensor remembers a reading id (MurmurHash3 x64/128 over the
 * id's characters, which are ASCII by {@link ReadingRules}).
 *
 * <p>Fingerprints are stored in snapshots: this function must never change. 128 bits make a false
 * "duplicate" (two different ids of one sensor with equal fingerprints inside its window of a few
 * hundred ids) about as likely as 1 in 2^113; see docs/adr/0003-duplicate-memory.md.
 */
public final class ReadingIdHash {

  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private ReadingIdHash() {}

  /**
   * Returns the fingerprint as {@code {high, low}} written into {@code out[offset]} and {@code
   * out[offset+1]}.
   */
  public static void hash(String id, long[] out, int offset) {
    int len = id.length();
    long h1 = 0;
    long h2 = 0;
    int i = 0;
    for (; i + 16 <= len; i += 16) {
      long k1 = block(id, i);
      long k2 = block(id, i + 8);
      k1 *= C1;
      k1 = Long.rotateLeft(k1, 31);
      k1 *= C2;
      h1 ^= k1;
      h1 = Long.rotateLeft(h1, 27);
      h1 += h2;
      h1 = h1 * 5 + 0x52dce729;
      k2 *= C2;
      k2 = Long.rotateLeft(k2, 33);
      k2 *= C1;
      h2 ^= k2;
      h2 = Long.rotateLeft(h2, 31);
      h2 += h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    int tail = len - i;
    if (tail > 8) {
      long k2 = 0;
      for (int j = tail - 1; j >= 8; j--) {
        k2 = (k2 << 8) | (id.charAt(i + j) & 0xff);
      }
      k2 *= C2;
      k2 = Long.rotateLeft(k2, 33);
      k2 *= C1;
      h2 ^= k2;
    }
    if (tail > 0) {
      long k1 = 0;
      for (int j = Math.min(tail, 8) - 1; j >= 0; j--) {
        k1 = (k1 << 8) | (id.charAt(i + j) & 0xff);
      }
      k1 *= C1;
      k1 = Long.rotateLeft(k1, 31);
      k1 *= C2;
      h1 ^= k1;
    }
    h1 ^= len;
    h2 ^= len;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    h2 += h1;
    out[offset] = h1;
    out[offset + 1] = h2;
  }

  /**
   * The content fingerprint of {@code r}, kept next to its id's fingerprint to tell a resend (same
   * value and timestamp) from a different reading under a reused id: the high 32 bits hash the
   * value, the low 32 bits the timestamp, neither half is ever 0 (0 means "unknown").
   */
  public static long content(Reading r) {
    return ((long) half(fmix(Double.doubleToLongBits(r.value() == 0.0 ? 0.0 : r.value()))) << 32)
        | (half(fmix(r.timestamp().getEpochSecond() * 1_000_000_007L + r.timestamp().getNano()))
            & 0xffffffffL);
  }

  /** Whether the value halves of two content fingerprints are equal. */
  public static boolean sameValue(long a, long b) {
    return (a >>> 32) == (b >>> 32);
  }

  private static int half(long h) {
    int v = (int) (h ^ (h >>> 32));
    return v == 0 ? 1 : v;
  }

  private static long block(String s, int at) {
    long k = 0;
    for (int j = 7; j >= 0; j--) {
      k = (k << 8) | (s.charAt(at + j) & 0xff);
    }
    return k;
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
