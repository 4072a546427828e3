package org.sensorcluster.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.sensorcluster.domain.Location;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.http.WireJson.Member;

/**
 * Bodies of {@code PUT /api/v1/sensors/{id}} for {@link Property} inputs: valid metadata of every
 * shape the rules allow, written as JSON with members in any order, strings escaped at random and
 * absent fields left out or sent as null.
 */
final class MetadataDocs {

  private MetadataDocs() {}

  /** A body, its top-level members, and the metadata it must become. */
  record Doc(String json, List<Member> members, SensorMetadata expected) {}

  private static final String KEY_START =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /** Text of 1-256 chars without control characters (any other Unicode, emoji included). */
  static Gen<String> text(int max) {
    Gen<Integer> printable =
        HostileText.codePoint()
            .map(c -> Character.isISOControl(c) || c >= 0xd800 && c <= 0xdfff ? 'x' : c);
    return r -> {
      String s = Gen.codePoints(printable, 1, max).next(r);
      return s.length() <= max
          ? s
          : s.substring(0, Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max);
    };
  }

  static Gen<SensorMetadata> metadata() {
    Gen<String> type =
        r -> Gen.stringOf(KEY_START, 1, 1).next(r) + Gen.stringOf(KEY_START + "._-", 0, 63).next(r);
    Gen<String> labelKey =
        r ->
            Gen.stringOf(KEY_START, 1, 1).next(r) + Gen.stringOf(KEY_START + "._/-", 0, 63).next(r);
    Gen<Map<String, String>> labels =
        r -> {
          Map<String, String> m = new LinkedHashMap<>();
          int n = Gen.sizes(0, SensorMetadata.MAX_LABELS).next(r);
          while (m.size() < n) {
            m.put(
                labelKey.next(r),
                r.nextInt(10) == 0 ? "" : text(SensorMetadata.MAX_LABEL_VALUE).next(r));
          }
          return m;
        };
    Gen<Double> lat =
        Gen.<Double>choice()
            .or(1, Gen.elements(-90.0, 90.0, 0.0, -0.0))
            .or(4, r -> r.nextDouble() * 180 - 90);
    Gen<Double> lon =
        Gen.<Double>choice()
            .or(1, Gen.elements(-180.0, 180.0, 0.0))
            .or(4, r -> r.nextDouble() * 360 - 180);
    Gen<Location> location = r -> new Location(lat.next(r), lon.next(r));
    return r ->
        new SensorMetadata(
            maybe(r, text(SensorMetadata.MAX_TEXT)),
            maybe(r, type),
            maybe(r, text(SensorMetadata.MAX_TEXT)),
            maybe(r, location),
            r.nextBoolean() ? labels.next(r) : Map.of(),
            maybe(r, thresholds()));
  }

  static Gen<Thresholds> thresholds() {
    return r -> {
      double a = Numbers.doubles().next(r);
      double b = Numbers.doubles().next(r);
      double min = Math.min(a, b);
      double max = Math.max(a, b);
      return switch (min < max ? r.nextInt(3) : 1 + r.nextInt(2)) {
        case 0 -> {
          double span = max - min;
          double h = Double.isFinite(span) ? span * r.nextDouble() * 0.99 : r.nextDouble();
          yield new Thresholds(min, max, h < span ? h : 0);
        }
        case 1 -> new Thresholds(min, null, Math.abs(Numbers.doubles().next(r)));
        default -> new Thresholds(null, max, Math.abs(Numbers.doubles().next(r)));
      };
    };
  }

  /**
   * {@code metadata} as a body: members shuffled, absent ones left out or null, strings escaped at
   * random.
   */
  static Gen<Doc> docs() {
    return r -> {
      SensorMetadata m = metadata().next(r);
      List<Member> members = new ArrayList<>();
      string(members, "name", m.name(), r);
      string(members, "type", m.type(), r);
      string(members, "unit", m.unit(), r);
      if (m.location() != null) {
        members.add(
            new Member(
                "location",
                WireJson.object(
                    shuffled(
                        r,
                        List.of(
                            new Member("lat", number(m.location().lat(), r)),
                            new Member("lon", number(m.location().lon(), r)))))));
      } else if (r.nextInt(4) == 0) {
        members.add(new Member("location", "null"));
      }
      if (!m.labels().isEmpty() || r.nextBoolean()) {
        List<Member> labels = new ArrayList<>();
        m.labels().forEach((k, v) -> labels.add(new Member(k, WireJson.quote(v, r))));
        members.add(
            new Member(
                "labels",
                m.labels().isEmpty() && r.nextBoolean()
                    ? "null"
                    : WireJson.object(shuffled(r, labels))));
      }
      if (m.thresholds() != null) {
        Thresholds t = m.thresholds();
        List<Member> limits = new ArrayList<>();
        optionalNumber(limits, "min", t.min(), r);
        optionalNumber(limits, "max", t.max(), r);
        if (t.hysteresis() != 0 || r.nextBoolean()) {
          limits.add(new Member("hysteresis", number(t.hysteresis(), r)));
        }
        members.add(new Member("thresholds", WireJson.object(shuffled(r, limits))));
      } else if (r.nextInt(4) == 0) {
        members.add(new Member("thresholds", "null"));
      }
      List<Member> top = shuffled(r, members);
      return new Doc(WireJson.object(top), top, m);
    };
  }

  /** A body with one member twice, at the top or inside location, labels or thresholds. */
  static Gen<String> withDuplicateMember() {
    return r -> {
      List<Member> members = new ArrayList<>(docs().next(r).members());
      List<Member> inner = new ArrayList<>(List.of(new Member("a", "\"x\"")));
      switch (members.isEmpty() ? 1 + r.nextInt(3) : r.nextInt(4)) {
        case 0 -> {
          Member twice = members.get(r.nextInt(members.size()));
          members.add(
              r.nextInt(members.size() + 1),
              new Member(twice.key(), r.nextBoolean() ? twice.value() : "null"));
          return WireJson.object(members);
        }
        case 1 -> {
          inner = new ArrayList<>(List.of(new Member("lat", "1"), new Member("lon", "2")));
          inner.add(r.nextInt(3), new Member(r.nextBoolean() ? "lat" : "lon", "3"));
          members.removeIf(m -> m.key().equals("location"));
          members.add(new Member("location", WireJson.object(inner)));
        }
        case 2 -> {
          inner.add(r.nextInt(2), new Member("a", WireJson.quote(text(10).next(r))));
          members.removeIf(m -> m.key().equals("labels"));
          members.add(new Member("labels", WireJson.object(inner)));
        }
        default -> {
          inner = new ArrayList<>(List.of(new Member("min", "1"), new Member("max", "2")));
          inner.add(r.nextInt(3), new Member(Gen.elements("min", "max").next(r), "0"));
          members.removeIf(m -> m.key().equals("thresholds"));
          members.add(new Member("thresholds", WireJson.object(inner)));
        }
      }
      return WireJson.object(shuffled(r, members));
    };
  }

  private static <T> T maybe(Random r, Gen<T> gen) {
    return r.nextBoolean() ? gen.next(r) : null;
  }

  private static void string(List<Member> members, String key, String value, Random r) {
    if (value != null) {
      members.add(new Member(key, WireJson.quote(value, r)));
    } else if (r.nextInt(4) == 0) {
      members.add(new Member(key, "null"));
    }
  }

  private static void optionalNumber(List<Member> members, String key, Double value, Random r) {
    if (value != null) {
      members.add(new Member(key, number(value, r)));
    } else if (r.nextInt(3) == 0) {
      members.add(new Member(key, "null"));
    }
  }

  /** {@code d} as Java writes it, or as a plain integer when it is one. */
  private static String number(double d, Random r) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15 && r.nextBoolean() && !(d == 0 && 1 / d < 0)) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  private static List<Member> shuffled(Random r, List<Member> members) {
    List<Member> copy = new ArrayList<>(members);
    Collections.shuffle(copy, r);
    return copy;
  }
}
