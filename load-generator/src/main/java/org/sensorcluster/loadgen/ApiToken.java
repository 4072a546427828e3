package org.sensorcluster.loadgen;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The bearer token every driver and probe sends ({@code Authorization: Bearer <token>} on every
 * request): {@code --token T}, else the {@code SENSORS_TOKEN} environment variable, else none.
 * Writing readings needs a device token whose scope prefixes the sensor ids written (or an operator
 * or admin token); registering sensors an operator token; {@code /api/v1/admin} an admin token.
 *
 * <p>A 401 or 403 is not load: the node refused the token, and every further request would be
 * refused the same way. Drivers and probes stop at the first one with a {@link Rejected}.
 */
final class ApiToken {

  /** The environment variable a token defaults to. */
  static final String ENV = "SENSORS_TOKEN";

  private ApiToken() {}

  /**
   * The token to use: {@code flag} when given, else {@code env.apply("SENSORS_TOKEN")}; null when
   * neither is set or the value is blank. Throws IllegalArgumentException for a value that cannot
   * go into an HTTP header (spaces, control characters, non-ASCII).
   */
  static String resolve(String flag, Function<String, String> env) {
    String t = flag != null ? flag : env.apply(ENV);
    if (t == null || t.isBlank()) {
      return null;
    }
    return check(t.strip());
  }

  /**
   * {@code token} if it can go into an HTTP header as it is (visible ASCII, no spaces), else
   * IllegalArgumentException.
   */
  static String check(String token) {
    boolean ok = !token.isEmpty();
    for (int i = 0; ok && i < token.length(); i++) {
      char c = token.charAt(i);
      ok = c > 0x20 && c < 0x7f;
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "the token (--token or "
              + ENV
              + ") must be visible ASCII characters"
              + " without spaces");
    }
    return token;
  }

  /** The header line for the hand-written request head, CRLF included; empty without a token. */
  static String headerLine(String token) {
    return token == null ? "" : "Authorization: Bearer " + token + "\r\n";
  }

  /** The run stopped because the node answered 401 or 403. */
  static final class Rejected extends IllegalStateException {
    private final int status;

    Rejected(int status, String message) {
      super(message);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /** A request to {@code base + path}, with {@code token} (if any) as bearer token. */
  static java.net.http.HttpRequest.Builder request(String base, String path, String token) {
    java.net.http.HttpRequest.Builder b =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  /**
   * Sends {@code request}; a 401 or 403 stops the caller with {@link Rejected}, it is not retried.
   */
  static java.net.http.HttpResponse<String> send(
      java.net.http.HttpClient http, java.net.http.HttpRequest request, String token)
      throws java.io.IOException, InterruptedException {
    java.net.http.HttpResponse<String> r =
        http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    if (refused(r.statusCode())) {
      throw rejected(
          r.statusCode(),
          request.method() + " " + request.uri().getRawPath(),
          token != null,
          r.body());
    }
    return r;
  }

  /** Whether a reply status means the token was refused (stop, do not count it). */
  static boolean refused(int status) {
    return status == 401 || status == 403;
  }

  /** The exception for a 401/403 reply to {@code request} (e.g. "POST /api/v1/readings"). */
  static Rejected rejected(int status, String request, boolean tokenGiven, byte[] body) {
    return rejected(
        status, request, tokenGiven, body == null ? "" : new String(body, StandardCharsets.UTF_8));
  }

  static Rejected rejected(int status, String request, boolean tokenGiven, String body) {
    String why;
    if (status == 401) {
      why =
          tokenGiven
              ? "the token is not valid on this node (unknown or revoked; check --token / "
                  + ENV
                  + ")"
              : "the node requires a token: pass one with --token T or the "
                  + ENV
                  + " environment variable"
                  + " (e.g. the admin token the node printed at its first start, or SENSORS_ADMIN_TOKEN)";
    } else {
      why =
          "the token's role or scope does not allow this (writing readings needs a device token whose scope"
              + " is a prefix of the sensor ids written, or an operator or admin token; registering sensors an"
              + " operator token; /api/v1/admin an admin token)";
    }
    String detail =
        body == null || body.isBlank()
            ? ""
            : "; the node said: "
                + (body.length() > 300 ? body.substring(0, 300) + "..." : body.strip());
    return new Rejected(
        status, "stopped: " + request + " answered " + status + ": " + why + detail);
  }
}
