package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.testing.TestPostgres;

/**
 * Black box: a corpus of hostile requests against a real node on real PostgreSQL, each with a valid
 * admin token (the worst case: authenticated but malicious or broken). Not one may get a 5xx, and
 * afterwards the journal holds no event at all: nothing invalid was stored.
 */
class HostileRequestsTest {

  private record Attack(String name, String method, String path, String contentType, byte[] body) {
    static Attack of(String name, String method, String path, String contentType, String body) {
      return new Attack(
          name,
          method,
          path,
          contentType,
          body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<Attack> corpus() {
    String deep = "[".repeat(5_000) + "]".repeat(5_000);
    String pad = "x".repeat(50_000);
    StringBuilder huge = new StringBuilder("[");
    for (int i = 0; huge.length() < 17 << 20; i++) {
      huge.append(i == 0 ? "" : ",")
          .append("{\"sensorId\":\"h-1\",\"value\":1,\"note\":\"")
          .append(pad)
          .append("\"}");
    }
    huge.append(']');
    List<Attack> a = new ArrayList<>();
    String readings = "/api/v1/readings";
    String single = "/api/v1/sensors/h-1/readings";
    a.add(Attack.of("deeply nested batch", "POST", readings, "application/json", deep));
    a.add(Attack.of("deeply nested single", "POST", single, "application/json", deep));
    a.add(Attack.of("body over 16 MiB", "POST", readings, "application/json", huge.toString()));
    a.add(
        Attack.of(
            "duplicate keys", "POST", single, "application/json", "{\"value\":1,\"value\":2}"));
    a.add(Attack.of("NaN", "POST", single, "application/json", "{\"value\":NaN}"));
    a.add(Attack.of("huge number", "POST", single, "application/json", "{\"value\":1e999999}"));
    a.add(
        Attack.of(
            "year zero",
            "POST",
            single,
            "application/json",
            "{\"timestamp\":\"0000-01-01T00:00:00Z\",\"value\":1}"));
    a.add(
        Attack.of(
            "far future",
            "POST",
            single,
            "application/json",
            "{\"timestamp\":\"9999-12-31T23:59:59Z\",\"value\":1}"));
    a.add(
        Attack.of(
            "timestamp garbage",
            "POST",
            single,
            "application/json",
            "{\"timestamp\":\"yesterday\",\"value\":1}"));
    a.add(Attack.of("string value", "POST", single, "application/json", "{\"value\":\"1\"}"));
    a.add(
        Attack.of(
            "readingId too long",
            "POST",
            single,
            "application/json",
            "{\"readingId\":\"" + pad + "\",\"value\":1}"));
    a.add(Attack.of("invalid UTF-8", "POST", single, "application/json", null));
    a.add(
        Attack.of(
            "truncated",
            "POST",
            readings,
            "application/json",
            "[{\"sensorId\":\"h-1\",\"value\":"));
    a.add(
        Attack.of(
            "NDJSON line too long",
            "POST",
            readings,
            "application/x-ndjson",
            "{\"sensorId\":\"h-1\",\"value\":1,\"n\":\"" + "y".repeat(2 << 20) + "\"}\n"));
    a.add(
        Attack.of(
            "batch of invalid ids",
            "POST",
            readings,
            "application/json",
            "[{\"sensorId\":\"../../etc/passwd\",\"value\":1},{\"sensorId\":\"a b\",\"value\":1},{\"sensorId\":\"\",\"value\":1}]"));
    a.add(
        Attack.of(
            "wrong content type",
            "POST",
            readings,
            "text/plain",
            "[{\"sensorId\":\"h-1\",\"value\":1}]"));
    a.add(Attack.of("no content type", "POST", single, null, "{\"value\":1}"));
    a.add(
        Attack.of(
            "PUT metadata garbage",
            "PUT",
            "/api/v1/sensors/h-2",
            "application/json",
            "{\"thresholds\":{\"min\":5,\"max\":1}}"));
    a.add(
        Attack.of(
            "PUT trailing content", "PUT", "/api/v1/sensors/h-2", "application/json", "{} {}"));
    a.add(
        Attack.of(
            "single trailing content",
            "POST",
            single,
            "application/json",
            "{\"value\":1} {\"value\":2}"));
    a.add(
        Attack.of(
            "batch trailing content",
            "POST",
            readings,
            "application/json",
            "[{\"sensorId\":\"h-1\",\"value\":1}] x"));
    a.add(
        Attack.of(
            "token trailing content",
            "POST",
            "/api/v1/admin/tokens",
            "application/json",
            "{\"role\":\"reader\"} {}"));
    a.add(
        Attack.of(
            "PUT duplicate keys",
            "PUT",
            "/api/v1/sensors/h-2",
            "application/json",
            "{\"name\":\"a\",\"name\":\"b\"}"));
    a.add(Attack.of("sensor id too long", "GET", "/api/v1/sensors/" + "s".repeat(300), null, null));
    a.add(Attack.of("encoded traversal", "GET", "/api/v1/sensors/..%2F..%2Fetc", null, null));
    a.add(
        Attack.of(
            "tampered cursor",
            "GET",
            "/api/v1/sensors?cursor=AAAAAAAAAAAAAAAAAAAA.bad",
            null,
            null));
    a.add(Attack.of("negative limit", "GET", "/api/v1/sensors?limit=-5", null, null));
    a.add(Attack.of("huge limit", "GET", "/api/v1/sensors?limit=99999999999999", null, null));
    a.add(
        Attack.of(
            "bad range",
            "GET",
            "/api/v1/sensors/h-1/readings?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
            null,
            null));
    a.add(
        Attack.of(
            "bad step", "GET", "/api/v1/sensors/h-1/readings?step=7q&maxPoints=-1", null, null));
    a.add(
        Attack.of(
            "minSeq beyond the journal",
            "GET",
            "/api/v1/sensors/h-1?minSeq=h-1:999999",
            null,
            null));
    a.add(Attack.of("minSeq garbage", "GET", "/api/v1/sensors?minSeq=::::", null, null));
    a.add(
        Attack.of(
            "unknown model rebuild", "POST", "/api/v1/admin/projections/nope/rebuild", null, null));
    a.add(
        Attack.of(
            "token request garbage",
            "POST",
            "/api/v1/admin/tokens",
            "application/json",
            "{\"role\":[1]}"));
    a.add(Attack.of("unknown method", "PATCH", "/api/v1/sensors/h-1", "application/json", "{}"));
    a.add(
        Attack.of(
            "strong read of unknown", "GET", "/api/v1/sensors/h-9?consistency=strong", null, null));
    return a;
  }

  @Test
  void no_hostile_request_gets_a_5xx_or_stores_anything() throws Exception {
    TestPostgres pg = TestPostgres.createDatabase("hostile");
    SensorNode node = TestNodes.start(TestNodes.postgres(pg));
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    List<String> failures = new ArrayList<>();
    try {
      for (Attack attack : corpus()) {
        byte[] body =
            attack.name().equals("invalid UTF-8")
                ? new byte[] {
                  '{',
                  '"',
                  'v',
                  'a',
                  'l',
                  'u',
                  'e',
                  '"',
                  ':',
                  '1',
                  ',',
                  '"',
                  'x',
                  '"',
                  ':',
                  '"',
                  (byte) 0xC3,
                  (byte) 0x28,
                  '"',
                  '}'
                }
                : attack.body();
        HttpRequest.Builder b =
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.httpPort() + attack.path()))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TestNodes.ADMIN_TOKEN)
                .method(
                    attack.method(),
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (attack.contentType() != null) {
          b.header("Content-Type", attack.contentType());
        }
        int status;
        try {
          status = http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
          // the node drains a refused body before answering: a reset instead of an answer is a
          // failure
          failures.add(attack.name() + " -> no answer (" + e.getMessage() + ")");
          continue;
        }
        System.out.printf("hostile %-28s -> %d%n", attack.name(), status);
        if (status >= 500 || status < 400) {
          failures.add(attack.name() + " -> " + status);
        }
      }
      assertEquals(List.of(), failures, "hostile requests answered with other than 4xx");
      try (Connection c = pg.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM event_journal")) {
        rs.next();
        assertEquals(0, rs.getLong(1), "the journal holds an event after hostile requests only");
      }
      assertTrue(node.httpPort() > 0);
    } finally {
      node.system().terminate();
      node.system()
          .getWhenTerminated()
          .toCompletableFuture()
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
      pg.drop();
    }
  }
}
