package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.auth.Role;

/** Who may do what: 401 without a valid token, 403 outside the role or a device token's scope. */
class AuthRoutesTest extends ApiTestBase {

  private static final String READING = "{\"readingId\":\"r-1\",\"value\":1.5}";

  private Resp as(String token, String method, String path, String json) {
    HttpRequest.Builder b = anonymous(base, path);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (json != null) {
      b.header("Content-Type", JSON);
    }
    return send(
        b.method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build());
  }

  @Test
  void without_a_token_every_api_route_is_401_with_a_bearer_challenge_and_nothing_is_stored() {
    for (String[] route :
        new String[][] {
          {"GET", "/api/v1/sensors"},
          {"POST", "/api/v1/readings"},
          {"POST", "/api/v1/sensors/s-1/readings"},
          {"PUT", "/api/v1/sensors/s-1"},
          {"DELETE", "/api/v1/sensors/s-1"},
          {"GET", "/api/v1/admin/tokens"},
          {"GET", "/api/v1/no-such-route"},
          {"GET", "/api/v1/sensors/bad%20id!"}
        }) {
      Resp r =
          as(
              null,
              route[0],
              route[1],
              route[0].equals("GET") || route[0].equals("DELETE") ? null : READING);
      assertEquals(401, r.status(), () -> route[0] + " " + route[1] + ": " + r);
      assertEquals(
          "Bearer realm=\"sensors\"", r.header("WWW-Authenticate").orElse(""), r::toString);
      assertEquals(PROBLEM_TYPE_BASE + "unauthorized", r.json().path("type").asText());
    }
    assertEquals(0, gateway.recordCalls());
  }

  @Test
  void an_unknown_token_or_another_scheme_is_401() {
    Resp unknown = as("sct_not-a-token-anybody-issued", "GET", "/api/v1/sensors", null);
    assertEquals(401, unknown.status());
    assertEquals(
        "Bearer realm=\"sensors\", error=\"invalid_token\"",
        unknown.header("WWW-Authenticate").orElse(""));
    Resp basic =
        send(
            anonymous(base, "/api/v1/sensors")
                .header("Authorization", "Basic YWRtaW46YWRtaW4=")
                .GET()
                .build());
    assertEquals(401, basic.status());
    assertTrue(basic.json().path("detail").asText().contains("Bearer"), basic::toString);
  }

  @Test
  void metrics_stay_open_for_prometheus() {
    assertEquals(200, as(null, "GET", "/metrics", null).status());
  }

  @Test
  void each_role_may_do_what_it_is_for_and_nothing_else() {
    String device = tokens.issue(Role.DEVICE, "");
    String reader = tokens.issue(Role.READER, "");
    String operator = tokens.issue(Role.OPERATOR, "");
    // device: writes readings only
    assertEquals(202, as(device, "POST", "/api/v1/sensors/s-1/readings", READING).status());
    assertEquals(
        202,
        as(device, "POST", "/api/v1/readings", "[{\"sensorId\":\"s-2\",\"value\":1}]").status());
    assertForbidden(as(device, "GET", "/api/v1/sensors", null));
    assertForbidden(as(device, "GET", "/api/v1/sensors/s-1/readings", null));
    assertForbidden(as(device, "PUT", "/api/v1/sensors/s-1", "{\"type\":\"t\"}"));
    assertForbidden(as(device, "GET", "/api/v1/admin/projections", null));
    // reader: queries only
    assertEquals(200, as(reader, "GET", "/api/v1/sensors", null).status());
    assertEquals(200, as(reader, "GET", "/api/v1/alerts", null).status());
    assertForbidden(as(reader, "POST", "/api/v1/sensors/s-1/readings", READING));
    assertForbidden(as(reader, "PUT", "/api/v1/sensors/s-1", "{\"type\":\"t\"}"));
    assertForbidden(as(reader, "DELETE", "/api/v1/sensors/s-1", null));
    assertForbidden(as(reader, "GET", "/api/v1/admin/tokens", null));
    // operator: queries and the registry
    assertEquals(200, as(operator, "GET", "/api/v1/stats", null).status());
    assertEquals(201, as(operator, "PUT", "/api/v1/sensors/s-9", "{\"type\":\"t\"}").status());
    assertForbidden(as(operator, "POST", "/api/v1/sensors/s-1/readings", READING));
    assertForbidden(as(operator, "POST", "/api/v1/admin/projections/latest/rebuild", null));
    assertForbidden(as(operator, "POST", "/api/v1/admin/tokens", "{\"role\":\"admin\"}"));
    // what was stored: the device's two readings and nothing of the refused requests
    assertEquals(2, gateway.totalStored());
    assertEquals(java.util.Set.of(), admin.rebuilding());
  }

  @Test
  void a_device_token_writes_only_within_its_scope() {
    String berlin = tokens.issue(Role.DEVICE, "site-berlin-");
    Resp outside = as(berlin, "POST", "/api/v1/sensors/site-paris-1/readings", READING);
    assertForbidden(outside);
    assertTrue(outside.json().path("detail").asText().contains("site-berlin-"), outside::toString);
    assertEquals(
        202, as(berlin, "POST", "/api/v1/sensors/site-berlin-1/readings", READING).status());
    assertEquals(List.of("site-berlin-1"), gateway.sensorsAsked());
  }

  @Test
  void in_a_batch_items_outside_the_scope_are_rejected_by_index_and_the_rest_stored() {
    String berlin = tokens.issue(Role.DEVICE, "site-berlin-");
    Resp r =
        as(
            berlin,
            "POST",
            "/api/v1/readings",
            """
        [{"sensorId":"site-berlin-1","value":1},
         {"sensorId":"site-paris-1","value":2},
         {"sensorId":"site-berlin-2","value":3},
         {"sensorId":"site-berlinx","value":4}]""");
    JsonNode body = assertJson(r, 202);
    assertEquals(2, body.path("accepted").asInt());
    List<Integer> rejected = new ArrayList<>();
    body.path("rejected").forEach(e -> rejected.add(e.path("index").asInt()));
    assertEquals(List.of(1, 3), rejected);
    assertTrue(
        body.path("rejected").get(0).path("error").asText().contains("scope"), body::toString);
    assertEquals(1, gateway.stored("site-berlin-1").size());
    assertEquals(0, gateway.stored("site-paris-1").size());
    assertEquals(0, gateway.stored("site-berlinx").size());
  }

  @Test
  void a_batch_with_no_item_in_scope_is_403_and_stores_nothing() {
    String berlin = tokens.issue(Role.DEVICE, "site-berlin-");
    Resp r =
        as(
            berlin,
            "POST",
            "/api/v1/readings",
            "[{\"sensorId\":\"site-paris-1\",\"value\":1},{\"sensorId\":\"site-rome-1\",\"value\":2},{\"value\":3}]");
    assertForbidden(r);
    assertEquals(3, r.json().path("rejected").size(), r::toString);
    assertEquals(0, gateway.recordCalls());
  }

  @Test
  void tokens_are_created_shown_once_listed_without_secrets_and_revoked() {
    Resp created =
        as(
            InMemoryTokens.ADMIN_TOKEN,
            "POST",
            "/api/v1/admin/tokens",
            "{\"role\":\"device\",\"scope\":\"site-berlin-\",\"label\":\"berlin gateway\"}");
    JsonNode body = assertJson(created, 201);
    String token = body.path("token").asText();
    String id = body.path("id").asText();
    assertTrue(token.startsWith("sct_") && token.length() >= 36, body::toString);
    assertEquals("device", body.path("role").asText());
    assertEquals("site-berlin-", body.path("scope").asText());
    assertEquals(
        202, as(token, "POST", "/api/v1/sensors/site-berlin-7/readings", READING).status());

    Resp listed = as(InMemoryTokens.ADMIN_TOKEN, "GET", "/api/v1/admin/tokens", null);
    assertFalse(listed.body().contains(token), "the list never shows a secret");
    boolean found = false;
    for (JsonNode t : assertJson(listed, 200).path("tokens")) {
      found |=
          t.path("id").asText().equals(id) && t.path("label").asText().equals("berlin gateway");
    }
    assertTrue(found, listed::toString);

    assertEquals(
        204, as(InMemoryTokens.ADMIN_TOKEN, "DELETE", "/api/v1/admin/tokens/" + id, null).status());
    assertEquals(
        401, as(token, "POST", "/api/v1/sensors/site-berlin-7/readings", READING).status());
    assertEquals(
        404, as(InMemoryTokens.ADMIN_TOKEN, "DELETE", "/api/v1/admin/tokens/nope", null).status());
  }

  @Test
  void a_bad_token_request_is_a_client_error() {
    String admin = InMemoryTokens.ADMIN_TOKEN;
    assertEquals(422, as(admin, "POST", "/api/v1/admin/tokens", "{\"role\":\"root\"}").status());
    assertEquals(
        422,
        as(admin, "POST", "/api/v1/admin/tokens", "{\"role\":\"reader\",\"scope\":\"x-\"}")
            .status());
    assertEquals(
        422,
        as(admin, "POST", "/api/v1/admin/tokens", "{\"role\":\"device\",\"scope\":\"a b\"}")
            .status());
    assertEquals(
        422,
        as(admin, "POST", "/api/v1/admin/tokens", "{\"role\":\"device\",\"expires\":1}").status());
    assertEquals(
        400,
        as(admin, "POST", "/api/v1/admin/tokens", "{\"role\":\"device\",\"role\":\"admin\"}")
            .status());
    assertEquals(400, as(admin, "POST", "/api/v1/admin/tokens", "[\"device\"]").status());
    assertEquals(400, as(admin, "POST", "/api/v1/admin/tokens", "{\"role\":").status());
    assertEquals(
        1, tokens.list().toCompletableFuture().join().size(), "only the admin token of the tests");
  }

  private static void assertForbidden(Resp r) {
    assertEquals(403, r.status(), r::toString);
    assertEquals(PROBLEM_TYPE_BASE + "forbidden", r.json().path("type").asText());
  }
}
