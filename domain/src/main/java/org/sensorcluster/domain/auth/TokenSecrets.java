package org.sensorcluster.domain.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.sensorcluster.domain.InvalidInputException;

/**
 * Token secrets: 192 random bits from {@link SecureRandom}, written {@code sct_} + base64url; what
 * is stored and compared is the SHA-256 of the whole token (the secret has enough entropy that a
 * slow password hash would add nothing but cost on every request). Token ids are 64 random bits in
 * hex.
 */
public final class TokenSecrets {

  public static final String PREFIX = "sct_";

  /** The shortest token accepted from configuration ({@code SENSORS_ADMIN_TOKEN}). */
  public static final int MIN_CONFIGURED_LENGTH = 24;

  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenSecrets() {}

  public static String newToken() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String newId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The stored form of {@code token}: lower-case hex SHA-256 of its UTF-8 bytes. */
  public static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Checks a token an operator configured; too short to be a secret is refused. */
  public static String checkConfigured(String token, String source) {
    String t = token.strip();
    if (t.length() < MIN_CONFIGURED_LENGTH) {
      throw new InvalidInputException(
          source
              + " must be at least "
              + MIN_CONFIGURED_LENGTH
              + " characters (e.g. the output of `openssl rand -base64 32`), got "
              + t.length());
    }
    return t;
  }

  /** Checks a device scope: empty (every sensor) or a prefix of sensor ids. */
  public static String checkScope(String scope) {
    if (scope == null || scope.isEmpty()) {
      return "";
    }
    String problem =
        org.sensorcluster.domain.SensorId.problemWith(scope); // a prefix obeys the id's own rules
    if (problem != null) {
      throw new InvalidInputException(
          "scope must be a sensor id prefix: " + problem.replace("sensorId", "it"));
    }
    return scope;
  }
}
