package org.sensorcluster.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Requests to every route of the API for {@link Property} inputs: the routes' own paths with valid
 * and hostile ids and names, unknown paths, query strings of known and unknown parameters with any
 * values (valid, tampered and foreign cursors among them), and the bodies of {@link HostileBodies}.
 * Most targets are percent-encoded as a client would send them; some are raw bytes.
 */
final class HostileRequests {

  private HostileRequests() {}

  /**
   * One request. {@code encoded}: the target is percent-encoded and the Content-Type a legal header
   * value, so the request reaches the routes (a raw one may be refused by the server's parser
   * already).
   */
  record Request(String method, byte[] target, String contentType, byte[] body, boolean encoded) {

    /** Smaller variants: without the query string, then with smaller bodies. */
    Stream<Request> shrink() {
      String t = new String(target, StandardCharsets.ISO_8859_1);
      int q = t.indexOf('?');
      Stream<Request> noQuery =
          q < 0
              ? Stream.empty()
              : Stream.of(
                  new Request(
                      method,
                      t.substring(0, q).getBytes(StandardCharsets.ISO_8859_1),
                      contentType,
                      body,
                      encoded));
      return Stream.concat(
          noQuery,
          Shrinks.bytes(body).map(b -> new Request(method, target, contentType, b, encoded)));
    }

    @Override
    public String toString() {
      return method
          + " "
          + Shrinks.escape(new String(target, StandardCharsets.ISO_8859_1))
          + " Content-Type: "
          + contentType
          + " body ("
          + body.length
          + " bytes): "
          + Property.show(body);
    }
  }

  static final List<String> PARAMETERS =
      List.of(
          "type",
          "label",
          "alerting",
          "limit",
          "cursor",
          "minSeq",
          "from",
          "to",
          "step",
          "maxPoints",
          "state",
          "sensorId",
          "consistency");
  static final List<String> MODELS = List.of("sensor_latest", "readings", "rollups", "alerts");

  /**
   * A route of the API: method, path ({id}: a sensor, {name}: a read model), parameters, body,
   * type.
   */
  private record Route(
      String method, String path, List<String> params, Gen<byte[]> body, String contentType) {}

  private static final Gen<byte[]> NO_BODY = HostileBodies.mostly(Gen.constant(""));

  private static final List<Route> ROUTES =
      List.of(
          new Route(
              "GET",
              "/api/v1/sensors",
              List.of("type", "label", "alerting", "limit", "cursor", "minSeq"),
              NO_BODY,
              null),
          new Route("GET", "/api/v1/sensors/{id}", List.of("consistency", "minSeq"), NO_BODY, null),
          new Route(
              "PUT",
              "/api/v1/sensors/{id}",
              List.of(),
              HostileBodies.mostly(HostileBodies.metadata()),
              "application/json"),
          new Route("DELETE", "/api/v1/sensors/{id}", List.of(), NO_BODY, null),
          new Route(
              "POST",
              "/api/v1/sensors/{id}/readings",
              List.of(),
              HostileBodies.mostly(HostileBodies.singles()),
              "application/json"),
          new Route(
              "GET",
              "/api/v1/sensors/{id}/readings",
              List.of("from", "to", "step", "maxPoints", "minSeq"),
              NO_BODY,
              null),
          new Route(
              "POST",
              "/api/v1/readings",
              List.of(),
              HostileBodies.mostly(HostileBodies.batches()),
              "application/json"),
          new Route(
              "POST",
              "/api/v1/readings",
              List.of(),
              HostileBodies.mostly(HostileBodies.ndjson()),
              "application/x-ndjson"),
          new Route(
              "GET",
              "/api/v1/alerts",
              List.of("state", "sensorId", "limit", "cursor", "minSeq"),
              NO_BODY,
              null),
          new Route("GET", "/api/v1/stats", List.of("minSeq"), NO_BODY, null),
          new Route("GET", "/metrics", List.of(), NO_BODY, null),
          new Route("GET", "/api/v1/admin/cluster", List.of(), NO_BODY, null),
          new Route("GET", "/api/v1/admin/projections", List.of(), NO_BODY, null),
          new Route("POST", "/api/v1/admin/projections/{name}/rebuild", List.of(), NO_BODY, null),
          new Route("POST", "/api/v1/admin/projections/{name}/pause", List.of(), NO_BODY, null),
          new Route("POST", "/api/v1/admin/projections/{name}/resume", List.of(), NO_BODY, null),
          new Route("GET", "/{any}", List.of(), NO_BODY, null),
          new Route("GET", "/api/v1/{any}", List.of(), NO_BODY, null),
          new Route("GET", "/api/v1/sensors/{id}/{any}", List.of(), NO_BODY, null),
          new Route("POST", "/api/v1/sensors/{id}/readings/{any}", List.of(), NO_BODY, null),
          new Route("POST", "/api/v1/admin/projections/{name}/{any}", List.of(), NO_BODY, null));

  private static final Gen<String> METHODS =
      Gen.<String>choice()
          .or(4, Gen.constant("GET"))
          .or(4, Gen.constant("POST"))
          .or(2, Gen.elements("PUT", "DELETE"))
          .or(1, Gen.elements("PATCH", "HEAD", "OPTIONS"));

  /**
   * A request to one of the routes, mostly with its own method, parameters, body and content type,
   * each of them sometimes replaced by another; one in eight with a raw (not percent-encoded)
   * target.
   */
  static Gen<Request> requests() {
    return r -> {
      Route route = Gen.elements(ROUTES).next(r);
      String method = r.nextInt(6) == 0 ? METHODS.next(r) : route.method();
      boolean encoded = r.nextInt(8) != 0;
      String target =
          path(route.path(), r, encoded)
              + query(
                  r.nextInt(4) == 0 || route.params().isEmpty() ? PARAMETERS : route.params(),
                  r,
                  encoded);
      // raw: any bytes but those that end the target (after a space comes the protocol, not the
      // path)
      byte[] bytes =
          encoded
              ? target.getBytes(StandardCharsets.US_ASCII)
              : target.replaceAll("[ \t\r\n]", "").getBytes(StandardCharsets.UTF_8);
      String contentType =
          encoded || r.nextBoolean()
              ? HostileBodies.contentType(route.contentType()).next(r)
              : HostileText.strings(30)
                  .map(t -> t.replaceAll("[\\r\\n]", ""))
                  .next(r); // any text: the server may refuse it
      byte[] body =
          method.equals("HEAD") && encoded
              ? new byte[0]
              : route.body().next(r); // HEAD with a body: 422 by the server
      if (bytes.length > 2_000) {
        body =
            new byte
                [0]; // the server answers 414 and closes at once: a body being sent then may lose
        // the answer
      }
      return new Request(method, bytes, contentType, body, encoded);
    };
  }

  private static String path(String template, Random r, boolean encoded) {
    String p =
        template
            .replace(
                "{id}",
                segment(
                    r,
                    encoded,
                    Gen.<String>choice().or(4, ReadingDocs.sensorIds()).or(1, Gen.constant("s-1"))))
            .replace("{name}", segment(r, encoded, Gen.elements(MODELS)))
            .replace(
                "{any}",
                segment(
                    r,
                    encoded,
                    Gen.elements("readings", "rebuild", "pause", "resume", "", ".", "..")));
    return switch (r.nextInt(16)) {
      case 0 -> p + "/";
      case 1 -> p.replaceFirst("/", "//");
      case 2 -> p.replace("/v1/", "/v1/./");
      default -> p;
    };
  }

  /**
   * A path segment: from {@code usual} mostly, else any text; percent-encoded when {@code encoded}.
   */
  private static String segment(Random r, boolean encoded, Gen<String> usual) {
    String s =
        r.nextInt(4) == 0
            ? HostileText.strings(r.nextInt(20) == 0 ? 200 : 20).next(r)
            : usual.next(r);
    return encoded ? encode(s) : s;
  }

  private static String query(List<String> params, Random r, boolean encoded) {
    int n = r.nextInt(3) == 0 ? 0 : Gen.sizes(1, 5).next(r);
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String name =
          r.nextInt(10) == 0 ? HostileText.strings(10).next(r) : Gen.elements(params).next(r);
      String value =
          name.equals("cursor") && r.nextBoolean()
              ? cursor(r)
              : QueryParamsPropertyTest.values().next(r);
      q.append(i == 0 ? "?" : "&").append(encoded ? encode(name) : name);
      if (r.nextInt(10) != 0) {
        q.append('=').append(encoded ? encode(value) : value);
      }
    }
    return q.toString();
  }

  /** A cursor of either list, as handed out, tampered with, or signed with another secret. */
  private static String cursor(Random r) {
    CursorCodecPropertyTest.Keys k = CursorCodecPropertyTest.keys().next(r);
    String c =
        new CursorCodec(r.nextInt(4) == 0 ? "other" : ApiTestBase.QUERY_SETTINGS.cursorSecret())
            .encode(k.endpoint(), k.keys());
    int at = r.nextInt(c.length());
    return r.nextBoolean()
        ? c
        : c.substring(0, at) + (char) ('A' + r.nextInt(26)) + c.substring(at + 1);
  }

  /** UTF-8 of {@code s}, every byte but ALPHA / DIGIT / - . _ ~ as %XX. */
  static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format("%02X", c));
      }
    }
    return b.toString();
  }
}
