package org.sensorcluster.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.http.WireJson.Member;

/**
 * Reading documents as clients send them, for {@link Property} inputs: valid ones with the reading
 * each item must become, and broken ones (duplicate members, wrong types, numbers JSON does not
 * have or a double cannot hold, nesting beyond the limit, strings beyond the limit, raw control
 * characters) with the outcome the API promises for them.
 */
final class ReadingDocs {

  private ReadingDocs() {}

  static final Instant NOW = ApiTestBase.NOW;
  static final String SENSOR_ID_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-";
  static final Duration SKEW = ReadingRules.DEFAULT_MAX_FUTURE_SKEW;
  static final Duration BACKFILL = ReadingRules.DEFAULT_MAX_BACKFILL;

  /** What one valid item must become (timestamp null: stamped with the receive time). */
  record Expected(String sensorId, String readingId, Instant timestamp, double value) {}

  /** A reading object as JSON text, with what it must become. */
  record Item(String json, Expected expected) {}

  /** How a broken item must be answered. */
  enum Outcome {
    /** The whole document is malformed JSON (400); for NDJSON, the line is a broken item. */
    MALFORMED,
    /**
     * The item is well-formed but not a valid reading (a field of the wrong type, a rule broken).
     */
    INVALID_ITEM
  }

  /** A broken reading object with the outcome it must get; {@code why} says what was broken. */
  record Broken(String json, Outcome outcome, String why) {}

  static Gen<String> sensorIds() {
    return Gen.stringOf(SENSOR_ID_CHARS, 1, 128);
  }

  static Gen<String> readingIds() {
    StringBuilder printable = new StringBuilder();
    for (char c = 0x21; c <= 0x7e; c++) {
      printable.append(c);
    }
    return Gen.stringOf(printable.toString(), 1, 128);
  }

  /** Timestamps the rules accept at {@link #NOW}: from the backfill horizon to the allowed skew. */
  static Gen<Timestamps.Stamp> acceptedTimestamps() {
    return Timestamps.rfc3339(Timestamps.between(NOW.minus(BACKFILL), NOW.plus(SKEW)));
  }

  /**
   * A valid reading object, with a generated sensorId or without one (single-sensor requests).
   * Members come in any order, with unknown members of any valid value between them.
   */
  static Gen<Item> valid(boolean withSensorId) {
    return r -> {
      List<Member> members = new ArrayList<>();
      String sensor = null;
      if (withSensorId) {
        sensor = sensorIds().next(r);
        members.add(new Member("sensorId", WireJson.quote(sensor, r)));
      }
      String readingId = null;
      if (r.nextBoolean()) {
        readingId = readingIds().next(r);
        members.add(new Member("readingId", WireJson.quote(readingId, r)));
      } else if (r.nextInt(4) == 0) {
        members.add(new Member("readingId", "null"));
      }
      Instant at = null;
      if (r.nextInt(4) != 0) {
        Timestamps.Stamp stamp = acceptedTimestamps().next(r);
        at = stamp.instant();
        members.add(new Member("timestamp", WireJson.quote(stamp.text(), r)));
      }
      String number = Numbers.finiteJson().next(r);
      members.add(new Member("value", number));
      int unknown = r.nextInt(3);
      for (int i = 0; i < unknown; i++) {
        members.add(
            new Member("x" + i + HostileText.strings(6).next(r), WireJson.anyValue(2).next(r)));
      }
      Collections.shuffle(members, r);
      return new Item(
          WireJson.object(members),
          new Expected(sensor, readingId, at, Double.parseDouble(number)));
    };
  }

  /** A reading object with exactly one thing wrong, and the outcome that must follow. */
  static Gen<Broken> broken(boolean withSensorId) {
    return r -> {
      Item item = valid(withSensorId).next(r);
      List<Member> members = membersOf(item, withSensorId, r);
      int pick = r.nextInt(members.size());
      Member victim = members.get(pick);
      return switch (r.nextInt(9)) {
        case 0 -> {
          members.add(
              r.nextInt(members.size() + 1),
              new Member(victim.key(), WireJson.anyValue(1).next(r)));
          yield new Broken(
              WireJson.object(members), Outcome.MALFORMED, "duplicate member " + victim.key());
        }
        case 1 -> {
          int at = known(victim.key()) ? pick : indexOf(members, "value");
          String key = members.get(at).key();
          String wrong = wrongTypeFor(key, r);
          members.set(at, new Member(key, wrong));
          yield new Broken(
              WireJson.object(members),
              Outcome.INVALID_ITEM,
              "wrong type " + wrong + " for " + key);
        }
        case 2 -> {
          String number =
              Gen.elements(
                      "NaN",
                      "Infinity",
                      "-Infinity",
                      "+1",
                      "01",
                      ".5",
                      "1.",
                      "0x10",
                      "1e",
                      "--1",
                      "\"1\"")
                  .next(r);
          members.set(indexOf(members, "value"), new Member("value", number));
          yield new Broken(
              WireJson.object(members),
              number.startsWith("\"") ? Outcome.INVALID_ITEM : Outcome.MALFORMED,
              "value " + number);
        }
        case 3 -> {
          String huge =
              Gen.elements(
                      "1e999",
                      "-1e999",
                      "1E400",
                      "9".repeat(400),
                      "-" + "9".repeat(400),
                      "1" + "0".repeat(309))
                  .next(r);
          members.set(indexOf(members, "value"), new Member("value", huge));
          yield new Broken(
              WireJson.object(members), Outcome.INVALID_ITEM, "value beyond a double: " + huge);
        }
        case 4 -> {
          String tooLong =
              r.nextBoolean() ? "1" + "0".repeat(1_000 + r.nextInt(200)) : "1." + "1".repeat(1_001);
          members.set(indexOf(members, "value"), new Member("value", tooLong));
          yield new Broken(
              WireJson.object(members),
              Outcome.MALFORMED,
              "number of " + tooLong.length() + " chars");
        }
        case 5 -> {
          members.add(
              new Member("deep", WireJson.nested(33 + r.nextInt(300), r.nextBoolean(), "1")));
          yield new Broken(WireJson.object(members), Outcome.MALFORMED, "nesting beyond 32");
        }
        case 6 -> {
          // the parser's string limit holds for the fields it reads; a skipped unknown member costs
          // no memory
          String field =
              withSensorId && r.nextBoolean()
                  ? "sensorId"
                  : Gen.elements("readingId", "timestamp").next(r);
          members.removeIf(m -> m.key().equals(field));
          members.add(
              new Member(field, "\"" + "x".repeat(64 * 1024 + 1 + r.nextInt(1_000)) + "\""));
          yield new Broken(WireJson.object(members), Outcome.MALFORMED, field + " beyond 64 KiB");
        }
        case 7 -> {
          int control = r.nextInt(0x20);
          String raw = "\"a" + (char) control + "b\"";
          members.set(pick, new Member(victim.key(), raw));
          yield new Broken(
              WireJson.object(members), Outcome.MALFORMED, "raw control character " + control);
        }
        default -> {
          String bad =
              Gen.elements(
                      "\"\"",
                      "\"a b\"",
                      "\"\\u0000\"",
                      "\"é\"",
                      "\"" + "r".repeat(129) + "\"",
                      "\"\\ud800\"")
                  .next(r);
          String field = withSensorId && r.nextBoolean() ? "sensorId" : "readingId";
          members.removeIf(m -> m.key().equals(field));
          members.add(new Member(field, bad));
          yield new Broken(WireJson.object(members), Outcome.INVALID_ITEM, field + " " + bad);
        }
      };
    };
  }

  /** The members of a valid item again (its JSON is rebuilt from them by {@link #broken}). */
  private static List<Member> membersOf(Item item, boolean withSensorId, Random r) {
    List<Member> members = new ArrayList<>();
    Expected e = item.expected();
    if (withSensorId) {
      members.add(new Member("sensorId", WireJson.quote(e.sensorId())));
    }
    if (e.readingId() != null) {
      members.add(new Member("readingId", WireJson.quote(e.readingId())));
    }
    if (e.timestamp() != null) {
      members.add(new Member("timestamp", WireJson.quote(e.timestamp().toString())));
    }
    members.add(new Member("value", Double.toString(e.value())));
    if (r.nextBoolean()) {
      members.add(new Member("note", WireJson.anyValue(2).next(r)));
    }
    Collections.shuffle(members, r);
    return members;
  }

  private static boolean known(String key) {
    return key.equals("sensorId")
        || key.equals("readingId")
        || key.equals("timestamp")
        || key.equals("value");
  }

  private static String wrongTypeFor(String key, Random r) {
    return key.equals("value")
        ? Gen.elements("\"1\"", "true", "false", "[]", "[1]", "{}", "{\"v\":1}").next(r)
        : Gen.elements("1", "1.5", "true", "false", "[]", "[\"s-1\"]", "{}").next(r);
  }

  private static int indexOf(List<Member> members, String key) {
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).key().equals(key)) {
        return i;
      }
    }
    throw new IllegalStateException("no member " + key);
  }
}
