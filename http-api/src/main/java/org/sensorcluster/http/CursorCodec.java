package org.sensorcluster.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque pagination cursors: the keyset of the last row served, as a JSON array, base64url-encoded
 * and signed with HMAC-SHA256 (truncated to 128 bits). A cursor that was altered, forged, or comes
 * from another endpoint fails to decode (400). Every node must share the secret ({@code
 * SENSORS_HTTP_CURSOR_SECRET}) so a cursor works whichever node serves the next page.
 */
final class CursorCodec {

  private static final int MAC_BYTES = 16;
  private final byte[] secret;

  CursorCodec(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("sensors.http.cursor-secret must not be empty");
    }
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  /** A cursor for {@code endpoint} holding {@code keys} (strings and numbers). */
  String encode(String endpoint, List<?> keys) {
    try {
      byte[] payload = Json.MAPPER.writeValueAsBytes(keys);
      byte[] mac = mac(endpoint, payload);
      byte[] all = Arrays.copyOf(payload, payload.length + MAC_BYTES);
      System.arraycopy(mac, 0, all, payload.length, MAC_BYTES);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The keys of a cursor made by {@link #encode} for the same endpoint; else {@link
   * BadParameterException}.
   */
  List<?> decode(String endpoint, String cursor, int expectedKeys) {
    byte[] all;
    try {
      all = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw new BadParameterException("cursor is not a cursor this API handed out");
    }
    if (all.length <= MAC_BYTES || cursor.length() > 2048) {
      throw new BadParameterException("cursor is not a cursor this API handed out");
    }
    byte[] payload = Arrays.copyOf(all, all.length - MAC_BYTES);
    byte[] mac = Arrays.copyOfRange(all, all.length - MAC_BYTES, all.length);
    if (!MessageDigest.isEqual(mac, Arrays.copyOf(mac(endpoint, payload), MAC_BYTES))) {
      throw new BadParameterException(
          "cursor is not a cursor this API handed out (or the server's cursor secret changed)");
    }
    List<?> keys;
    try {
      keys = Json.MAPPER.readValue(payload, List.class);
    } catch (java.io.IOException | RuntimeException e) {
      throw new BadParameterException("cursor is not a cursor this API handed out");
    }
    // A correctly signed cursor can still hold anything when the secret is known (the built-in
    // default is public): every key is checked before it is used.
    if (keys == null || keys.size() != expectedKeys) {
      throw new BadParameterException("cursor does not fit this endpoint");
    }
    for (Object k : keys) {
      if (!(k instanceof String) && !(k instanceof Number)) {
        throw new BadParameterException("cursor does not fit this endpoint");
      }
    }
    return keys;
  }

  /** Key {@code i} of decoded {@code keys} as a sensor id; else {@link BadParameterException}. */
  static String sensorIdKey(List<?> keys, int i) {
    if (keys.get(i) instanceof String s
        && org.sensorcluster.domain.SensorId.problemWith(s) == null) {
      return s;
    }
    throw new BadParameterException("cursor does not fit this endpoint");
  }

  /** Key {@code i} of decoded {@code keys} as an instant; else {@link BadParameterException}. */
  static java.time.Instant instantKey(List<?> keys, int i) {
    if (keys.get(i) instanceof String s) {
      try {
        return java.time.Instant.parse(s);
      } catch (java.time.format.DateTimeParseException e) {
        // below
      }
    }
    throw new BadParameterException("cursor does not fit this endpoint");
  }

  /**
   * Key {@code i} of decoded {@code keys} as a whole number; else {@link BadParameterException}.
   */
  static long longKey(List<?> keys, int i) {
    if (keys.get(i) instanceof Integer || keys.get(i) instanceof Long) {
      return ((Number) keys.get(i)).longValue();
    }
    throw new BadParameterException("cursor does not fit this endpoint");
  }

  private byte[] mac(String endpoint, byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(endpoint.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
