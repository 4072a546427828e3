package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.auth.QuotaOverrides;
import org.sensorcluster.domain.auth.Role;

/**
 * Per-token quotas through the routes: 429 + Retry-After, nothing stored, other devices unaffected.
 */
class QuotaRoutesTest extends ApiTestBase {

  private Resp post(URI server, String token, String path, String json) {
    return send(
        anonymous(server, path)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", JSON)
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build());
  }

  private static void assertOverQuota(Resp r) {
    assertEquals(429, r.status(), r::toString);
    assertEquals(PROBLEM_TYPE_BASE + "quota-exceeded", r.json().path("type").asText(), r::toString);
    assertTrue(Long.parseLong(r.header("Retry-After").orElse("0")) >= 1, r::toString);
  }

  @Test
  void requests_over_the_tokens_rate_are_429_and_store_nothing() {
    String device =
        tokens.issue(
            Role.DEVICE, "", new QuotaOverrides(null, 0.01, null)); // one request per 100 s
    assertEquals(
        202,
        post(base, device, "/api/v1/sensors/s-1/readings", "{\"readingId\":\"a\",\"value\":1}")
            .status());
    Resp second =
        post(
            base,
            device,
            "/api/v1/readings",
            "[{\"sensorId\":\"s-1\",\"readingId\":\"b\",\"value\":2}]");
    assertOverQuota(second);
    assertTrue(Long.parseLong(second.header("Retry-After").orElseThrow()) >= 90, second::toString);
    assertEquals(1, gateway.totalStored());
    String other = tokens.issue(Role.DEVICE, "", new QuotaOverrides(null, 0.01, null));
    assertEquals(
        202,
        post(base, other, "/api/v1/sensors/s-2/readings", "{\"value\":1}").status(),
        "another device's quota is its own");
  }

  @Test
  void readings_over_the_tokens_rate_are_not_stored_and_listed_to_send_again() {
    String device = tokens.issue(Role.DEVICE, "", new QuotaOverrides(0.01, null, null));
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 10; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"sensorId\":\"s-")
          .append(i)
          .append("\",\"readingId\":\"r\",\"value\":1}");
    }
    batch.append(']');
    JsonNode first = assertJson(post(base, device, "/api/v1/readings", batch.toString()), 202);
    assertEquals(
        10, first.path("accepted").asInt(), "one batch larger than the bucket passes (into debt)");
    Resp second =
        post(base, device, "/api/v1/readings", batch.toString().replace("\"r\"", "\"r2\""));
    assertOverQuota(second);
    assertEquals(10, second.json().path("unconfirmed").size(), second::toString);
    assertEquals(0, second.json().path("accepted").asInt());
    assertOverQuota(
        post(base, device, "/api/v1/sensors/s-1/readings", "{\"readingId\":\"x\",\"value\":1}"));
    assertEquals(10, gateway.totalStored());
  }

  @Test
  void a_device_creates_no_more_new_sensors_than_its_quota_but_writes_to_known_ones() {
    String device = tokens.issue(Role.DEVICE, "", new QuotaOverrides(null, null, 1.0));
    assertEquals(
        202, post(base, device, "/api/v1/sensors/new-1/readings", "{\"value\":1}").status());
    assertOverQuota(post(base, device, "/api/v1/sensors/new-2/readings", "{\"value\":1}"));
    Resp batch =
        post(
            base,
            device,
            "/api/v1/readings",
            "[{\"sensorId\":\"new-1\",\"value\":2},{\"sensorId\":\"new-3\",\"value\":3}]");
    assertOverQuota(batch);
    assertEquals(1, batch.json().path("accepted").asInt(), "the known sensor's reading is stored");
    assertEquals(1, batch.json().path("unconfirmed").get(0).path("index").asInt(), batch::toString);
    assertEquals(2, gateway.stored("new-1").size());
    assertEquals(0, gateway.stored("new-2").size() + gateway.stored("new-3").size());
    assertEquals(
        202,
        post(base, InMemoryTokens.ADMIN_TOKEN, "/api/v1/sensors/new-4/readings", "{\"value\":1}")
            .status(),
        "tokens without a quota are not limited");
  }

  @Test
  void one_noisy_device_cannot_take_the_write_permits_of_the_others() throws Exception {
    URI server =
        startExtraServer(SETTINGS.withMaxWritesInFlight(4)); // share 0.5: 2 writes per device token
    String noisy = tokens.issue(Role.DEVICE, "noisy-");
    String quiet = tokens.issue(Role.DEVICE, "quiet-");
    gateway.holdFor("noisy-1");
    gateway.holdFor("noisy-2");
    gateway.holdFor("noisy-3");
    List<CompletableFuture<Resp>> held = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      held.add(
          sendAsync(
              anonymous(server, "/api/v1/sensors/noisy-" + i + "/readings")
                  .header("Authorization", "Bearer " + noisy)
                  .header("Content-Type", JSON)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"value\":1}"))
                  .build()));
    }
    gateway.awaitRecordCalls(2, java.time.Duration.ofSeconds(5));
    Resp third = post(server, noisy, "/api/v1/sensors/noisy-3/readings", "{\"value\":1}");
    assertOverQuota(third);
    assertTrue(third.json().path("detail").asText().contains("share"), third::toString);
    // the node still has permits, and they go to the quiet device
    assertEquals(
        202, post(server, quiet, "/api/v1/sensors/quiet-1/readings", "{\"value\":1}").status());
    assertEquals(
        202,
        post(server, quiet, "/api/v1/readings", "[{\"sensorId\":\"quiet-2\",\"value\":1}]")
            .status());
    gateway.release();
    for (CompletableFuture<Resp> f : held) {
      assertEquals(202, f.get().status());
    }
    assertEquals(
        202,
        post(server, noisy, "/api/v1/sensors/noisy-4/readings", "{\"value\":2}").status(),
        "its permits are back once its writes are answered");
  }

  @Test
  void a_token_request_with_a_quota_for_a_device_is_stored_and_shown() {
    Resp r =
        post(
            base,
            InMemoryTokens.ADMIN_TOKEN,
            "/api/v1/admin/tokens",
            "{\"role\":\"device\",\"quota\":{\"readingsPerSecond\":50,\"newSensorsPerHour\":0}}");
    JsonNode body = assertJson(r, 201);
    assertEquals(50.0, body.path("quota").path("readingsPerSecond").asDouble());
    assertEquals(0.0, body.path("quota").path("newSensorsPerHour").asDouble());
    assertTrue(
        body.path("quota").path("requestsPerSecond").isMissingNode(),
        "not set: the default applies");
    assertOverQuota(
        post(
            base,
            body.path("token").asText(),
            "/api/v1/sensors/brand-new/readings",
            "{\"value\":1}"));
    assertEquals(
        422,
        post(
                base,
                InMemoryTokens.ADMIN_TOKEN,
                "/api/v1/admin/tokens",
                "{\"role\":\"reader\",\"quota\":{\"readingsPerSecond\":5}}")
            .status());
    assertEquals(
        422,
        post(
                base,
                InMemoryTokens.ADMIN_TOKEN,
                "/api/v1/admin/tokens",
                "{\"role\":\"device\",\"quota\":{\"readingsPerSecond\":-1}}")
            .status());
    assertEquals(
        422,
        post(
                base,
                InMemoryTokens.ADMIN_TOKEN,
                "/api/v1/admin/tokens",
                "{\"role\":\"device\",\"quota\":{\"burst\":5}}")
            .status());
    assertEquals(
        422,
        post(
                base,
                InMemoryTokens.ADMIN_TOKEN,
                "/api/v1/admin/tokens",
                "{\"role\":\"device\",\"quota\":{\"readingsPerSecond\":\"fast\"}}")
            .status());
  }
}
