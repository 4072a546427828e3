package org.sensorcluster.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadingIdHashTest {

  private record Fingerprint(long high, long low) {}

  private static Fingerprint fingerprint(String id) {
    long[] out = new long[2];
    ReadingIdHash.hash(id, out, 0);
    return new Fingerprint(out[0], out[1]);
  }

  @Test
  void deterministic() {
    String id = "sensor-reading-0001";
    assertEquals(fingerprint(id), fingerprint(id));
    assertEquals(fingerprint(id), fingerprint(new String(id.toCharArray())));
  }

  @Test
  void writesAtOffsetWithoutTouchingOtherSlots() {
    long[] out = {7, 7, 7, 7, 7};
    ReadingIdHash.hash("r-1", out, 2);
    Fingerprint f = fingerprint("r-1");
    assertArrayEquals(new long[] {7, 7, f.high(), f.low(), 7}, out);
  }

  @Test
  void distinctOverSequentialIds() {
    Map<Fingerprint, String> seen = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      record(seen, "r-" + i);
    }
    assertEquals(200_000, seen.size());
  }

  @Test
  void distinctOverRandomPrintableIds() {
    Random random = new Random(20261122L);
    Map<Fingerprint, String> seen = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      int length = 1 + random.nextInt(ReadingRules.MAX_READING_ID_LENGTH);
      char[] chars = new char[length];
      for (int j = 0; j < length; j++) {
        chars[j] = (char) (0x21 + random.nextInt(0x7e - 0x21 + 1));
      }
      record(seen, new String(chars));
    }
    // Short random ids repeat (e.g. only 94 ids of length 1); record() fails only on a real
    // collision.
    assertTrue(seen.size() > 190_000, "too few distinct ids generated: " + seen.size());
  }

  @Test
  void differsForIdsDifferingInOneCharacterOrLength() {
    assertNotEquals(fingerprint("r-1"), fingerprint("r-2"));
    assertNotEquals(fingerprint("r-1"), fingerprint("r-10"));
    assertNotEquals(fingerprint("abcdefgh"), fingerprint("abcdefghi"));
    assertNotEquals(fingerprint("abcdefghijklmnop"), fingerprint("abcdefghijklmnopq"));
  }

  private static void record(Map<Fingerprint, String> seen, String id) {
    String previous = seen.put(fingerprint(id), id);
    if (previous != null && !previous.equals(id)) {
      fail("fingerprint collision between '" + previous + "' and '" + id + "'");
    }
  }

  // Fingerprints are stored in snapshots (RecentReadingIds inside SensorState): the hash function
  // must
  // NEVER change, or recovered sensors would stop recognising duplicates. These constants pin the
  // exact
  // output (standard MurmurHash3 x64/128, seed 0, over the ASCII bytes; cross-checked against an
  // independent implementation). If one of these tests fails, the change to ReadingIdHash is the
  // bug,
  // not the constant: do not update them.

  @Test
  void pinnedFingerprintOfShortId() {
    assertEquals(new Fingerprint(0xfa2212fba8f3ceb5L, 0x43e700f196e19494L), fingerprint("r-1"));
  }

  @Test
  void pinnedFingerprintOfEmptyString() {
    assertEquals(new Fingerprint(0L, 0L), fingerprint(""));
  }

  @Test
  void pinnedFingerprintOf40CharacterId() {
    // two full 16-byte blocks plus an 8-byte tail
    assertEquals(
        new Fingerprint(0x18c531c159c28389L, 0xb5bb78e42161f6a7L),
        fingerprint("0123456789abcdefghijklmnopqrstuvwxyzABCD"));
  }

  @Test
  void pinnedFingerprintsOfTailShapes() {
    assertEquals(new Fingerprint(0x85555565f6597889L, 0xe6b53a48510e895aL), fingerprint("a"));
    assertEquals(
        new Fingerprint(0x0547c0cff13c7964L, 0x79b53df5b741e033L), fingerprint("abcdefghi"));
    assertEquals(
        new Fingerprint(0xc4ca3ca3224cb723L, 0x4333d695b331eb1aL), fingerprint("abcdefghijklmnop"));
  }
}
