package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.SensorId;

/**
 * Properties of pagination cursors ({@link CursorCodec}): every cursor the API hands out decodes to
 * its keys again; a cursor of another endpoint or secret, any tampered cursor and any other string
 * is rejected with {@link BadParameterException} (400), never read as another cursor and never with
 * another exception; and even a correctly signed cursor (the secret leaked) holding anything at all
 * gives valid keys or {@link BadParameterException}.
 */
class CursorCodecPropertyTest {

  private static final String SECRET = "test-secret";
  private static final CursorCodec CODEC = new CursorCodec(SECRET);

  /** The keys of one page boundary, as QueryRoutes writes and reads them. */
  record Keys(String endpoint, List<Object> keys) {

    /** Decodes {@code cursor} as QueryRoutes does for this endpoint, into comparable keys. */
    List<Object> read(CursorCodec codec, String cursor) {
      List<?> k = codec.decode(endpoint, cursor, keys.size());
      return endpoint.equals("sensors")
          ? List.of(CursorCodec.sensorIdKey(k, 0))
          : List.of(
              CursorCodec.instantKey(k, 0).toString(),
              CursorCodec.sensorIdKey(k, 1),
              CursorCodec.longKey(k, 2));
    }
  }

  static Gen<Keys> keys() {
    Gen<Keys> sensors = ReadingDocs.sensorIds().map(id -> new Keys("sensors", List.of(id)));
    Gen<Instant> raisedAt =
        Timestamps.between(
            Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"));
    Gen<Keys> alerts =
        r ->
            new Keys(
                "alerts",
                List.of(
                    raisedAt.next(r).toString(),
                    ReadingDocs.sensorIds().next(r),
                    Gen.longs(1, Long.MAX_VALUE).next(r)));
    return Gen.oneOf(sensors, alerts);
  }

  /** Keys and the secret of the codec that signs them. */
  record Signed(Keys keys, String secret) {}

  @Test
  void cursorsRoundTrip() {
    Gen<String> secrets =
        Gen.<String>choice()
            .or(1, Gen.constant(SECRET))
            .or(1, HostileText.strings(40).map(s -> "k" + s));
    Property.forAll(
        "cursors round-trip",
        1_000,
        r -> new Signed(keys().next(r), secrets.next(r)),
        s -> {
          CursorCodec codec = new CursorCodec(s.secret());
          assertEquals(
              s.keys().keys(),
              s.keys().read(codec, codec.encode(s.keys().endpoint(), s.keys().keys())));
        });
  }

  @Test
  void cursorsOfAnotherEndpointOrSecretAre400() {
    CursorCodec other = new CursorCodec("other-secret");
    Property.forAll(
        "cursors of another endpoint or secret are 400",
        500,
        keys(),
        k -> {
          String cursor = CODEC.encode(k.endpoint(), k.keys());
          String otherEndpoint = k.endpoint().equals("sensors") ? "alerts" : "sensors";
          assertThrows(
              BadParameterException.class,
              () -> CODEC.decode(otherEndpoint, cursor, k.keys().size()));
          assertThrows(BadParameterException.class, () -> k.read(other, cursor));
        });
  }

  /** A cursor the API handed out, and the same cursor after tampering. */
  record Tampered(Keys keys, String original, String tampered) {}

  @Test
  void tamperedCursorsAre400OrTheSameCursor() {
    Gen<Tampered> tampered =
        r -> {
          Keys k = keys().next(r);
          String c = CODEC.encode(k.endpoint(), k.keys());
          return new Tampered(k, c, tamper(c, r));
        };
    Property.forAll(
        "tampered cursors are 400 (or decode to the very same keys)",
        3_000,
        tampered,
        t -> {
          try {
            List<Object> read = t.keys().read(CODEC, t.tampered());
            // base64 without padding: the last character's unused low bits may change without
            // changing a byte
            assertEquals(t.keys().keys(), read, "a tampered cursor was read as another cursor");
            assertEquals(
                Arrays.toString(Base64.getUrlDecoder().decode(t.original())),
                Arrays.toString(Base64.getUrlDecoder().decode(t.tampered())));
          } catch (BadParameterException expected) {
            // 400
          }
        });
  }

  @Test
  void anyOtherStringIs400() {
    Gen<String> strings =
        Gen.<String>choice()
            .or(3, HostileText.tokenish(200))
            .or(1, HostileText.tokenish(3_000))
            .or(1, HostileText.strings(100));
    Property.forAll(
        "any other string is a 400 cursor",
        3_000,
        strings,
        Shrinks::string,
        s -> {
          for (String endpoint : List.of("sensors", "alerts")) {
            assertThrows(
                BadParameterException.class,
                () -> CODEC.decode(endpoint, s, endpoint.equals("sensors") ? 1 : 3));
          }
        });
  }

  @Test
  void correctlySignedCursorsHoldingAnythingGiveValidKeysOr400() {
    Gen<byte[]> payloads =
        Gen.<byte[]>choice()
            .or(3, WireJson.anyValue(3).map(s -> s.getBytes(StandardCharsets.UTF_8)))
            .or(
                3,
                Gen.listOf(WireJson.anyValue(1), 0, 4)
                    .map(l -> WireJson.array(l).getBytes(StandardCharsets.UTF_8)))
            .or(
                1,
                r -> WireJson.nested(r.nextInt(3_000), false, "1").getBytes(StandardCharsets.UTF_8))
            .or(1, HostileText.bytes(500));
    Property.forAll(
        "correctly signed cursors holding anything give valid keys or 400",
        2_000,
        payloads,
        p -> {
          for (String endpoint : List.of("sensors", "alerts")) {
            String cursor = sign(endpoint, p);
            try {
              List<Object> read =
                  new Keys(
                          endpoint,
                          endpoint.equals("sensors") ? List.of("k") : List.of("t", "k", 1L))
                      .read(CODEC, cursor);
              assertNull(
                  SensorId.problemWith((String) read.get(endpoint.equals("sensors") ? 0 : 1)));
            } catch (BadParameterException expected) {
              // 400
            } catch (RuntimeException e) {
              fail("cursor with payload " + Property.show(p) + " failed with " + e, e);
            }
          }
        });
  }

  /** {@code cursor} altered once or twice in the ways a hand or a proxy alters a URL parameter. */
  private static String tamper(String cursor, Random r) {
    String c = cursor;
    int n = 1 + r.nextInt(2);
    for (int i = 0; i < n; i++) {
      int at = r.nextInt(c.length());
      char other = HostileText.BASE64URL.charAt(r.nextInt(HostileText.BASE64URL.length()));
      c =
          switch (r.nextInt(9)) {
            case 0 -> c.substring(0, at) + other + c.substring(at + 1);
            case 1 -> c.substring(0, at) + other + c.substring(at);
            case 2 -> c.substring(0, at) + c.substring(at + 1);
            case 3 -> c.substring(0, at);
            case 4 -> c + Gen.elements("=", "==", "A", "AA", "AAAA", "%3D", " ", "\n").next(r);
            case 5 ->
                c.substring(0, at)
                    + Character.toString(
                        Character.isUpperCase(c.charAt(at))
                            ? Character.toLowerCase(c.charAt(at))
                            : Character.toUpperCase(c.charAt(at)))
                    + c.substring(at + 1);
            case 6 -> c.replace('-', '+').replace('_', '/');
            case 7 -> c + c;
            default -> c.substring(at) + c.substring(0, at);
          };
      if (c.isEmpty()) {
        c = "A";
      }
    }
    return c;
  }

  /**
   * A cursor for {@code payload} signed as {@link CursorCodec} signs (what a holder of the secret
   * can make).
   */
  private static String sign(String endpoint, byte[] payload) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update(endpoint.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    byte[] tag = mac.doFinal(payload);
    byte[] all = Arrays.copyOf(payload, payload.length + 16);
    System.arraycopy(tag, 0, all, payload.length, 16);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
  }
}
