package org.sensorcluster.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One POST of a {@link LoadDriver} batch to {@code /api/v1/readings} and what its reply
 * acknowledges (the rules are in {@link LoadDriver}'s class comment): acknowledged readings go to
 * the {@link AckLog}, the rest back to the {@link ResendQueue}.
 */
final class BatchSender {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HarnessSettings settings;
  private final AckLog acks;
  private final HttpClient http;
  private final NodeRotation rotation;
  private final ResendQueue resends;
  private final LoadCounters counters;
  private final ServiceSeconds window;

  BatchSender(
      HarnessSettings settings,
      AckLog acks,
      NodeRotation rotation,
      ResendQueue resends,
      LoadCounters counters,
      ServiceSeconds window) {
    this.settings = settings;
    this.acks = acks;
    this.rotation = rotation;
    this.resends = resends;
    this.counters = counters;
    this.window = window;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  void send(PendingBatch p) {
    String url = rotation.pickNode(p.lastUrl());
    if (url == null) {
      resends.retryLater(p, p.items(), null, Duration.ofMillis(500));
      return;
    }
    ArrayNode body = JSON.createArrayNode();
    for (LoadDriver.Item it : p.items()) {
      ObjectNode o = body.addObject();
      o.put("sensorId", it.sensorId());
      o.put("readingId", it.readingId());
      o.put("timestamp", it.timestamp());
      o.put("value", it.value());
    }
    counters.requests.incrementAndGet();
    long sentAt = System.nanoTime();
    HttpResponse<String> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/api/v1/readings"))
                  .timeout(settings.requestTimeout())
                  .header("Content-Type", "application/json")
                  .header(SuiteToken.HEADER, SuiteToken.bearer())
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (java.net.http.HttpTimeoutException e) {
      counters.timeouts.incrementAndGet();
      rotation.eject(url);
      resends.retryLater(p, p.items(), url, Duration.ofSeconds(1));
      return;
    } catch (IOException e) {
      counters.transportErrors.incrementAndGet();
      rotation.eject(url);
      resends.retryLater(p, p.items(), url, Duration.ofSeconds(1));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      resends.retryLater(p, p.items(), url, Duration.ofSeconds(1));
      return;
    }
    long ms = (System.nanoTime() - sentAt) / 1_000_000;
    if (ms >= 1000) {
      counters.slow(window.sinceStart() - ms / 1000.0, url, r.statusCode(), ms);
    }
    handle(p, url, r, ms);
  }

  private void handle(PendingBatch p, String url, HttpResponse<String> r, long ms) {
    int status = r.statusCode();
    JsonNode json = parse(r.body());
    Set<Integer> rejected = indices(json, "rejected");
    if (status == 202) {
      int expected = p.items().size() - rejected.size();
      if (json == null
          || json.path("accepted").asInt(-1) + json.path("duplicates").asInt(-1) != expected) {
        counters.inconsistentReplies.incrementAndGet();
        counters.sample("inconsistent 202 from " + url + ": " + r.body());
        resends.retryLater(p, p.items(), url, Duration.ofSeconds(1));
        return;
      }
      counters.ok202.incrementAndGet();
      window.success();
      if (json.path("duplicates").asInt() > 0) {
        counters.duplicateReplies.incrementAndGet();
      }
      acknowledge(p.items(), rejected, Set.of());
      return;
    }
    if (status == 503) {
      counters.refused503.incrementAndGet();
      counters.refusal(
          window.sinceStart(),
          url,
          json == null ? "?" : json.path("type").asText("?"),
          r.headers().firstValue("Retry-After").orElse("-"),
          json == null ? p.items().size() : json.path("unconfirmed").size(),
          ms,
          json == null ? "" : json.path("detail").asText(""));
      if (json != null && json.has("unconfirmed") && json.path("unconfirmed").isArray()) {
        Set<Integer> unconfirmed = indices(json, "unconfirmed");
        int expected = p.items().size() - rejected.size() - unconfirmed.size();
        if (json.path("accepted").asInt(-1) + json.path("duplicates").asInt(-1) == expected) {
          counters.partial503.incrementAndGet();
          acknowledge(p.items(), rejected, unconfirmed);
          List<LoadDriver.Item> again = new ArrayList<>();
          for (int i = 0; i < p.items().size(); i++) {
            if (unconfirmed.contains(i)) {
              again.add(p.items().get(i));
            }
          }
          if (!again.isEmpty()) {
            resends.retryLater(p, again, url, retryAfter(r));
          }
          return;
        }
        counters.inconsistentReplies.incrementAndGet();
        counters.sample("inconsistent 503 from " + url + ": " + r.body());
      } else {
        counters.sample("503 from " + url + ": " + r.body());
      }
      resends.retryLater(p, p.items(), url, retryAfter(r));
      return;
    }
    counters.otherStatus.incrementAndGet();
    counters.sample(status + " from " + url + ": " + r.body());
    if (status >= 500 || status == 429 || status == 408) {
      resends.retryLater(p, p.items(), url, Duration.ofSeconds(1));
    }
    // other 4xx: the batch itself is wrong; a resend would not help (and none is expected)
  }

  private void acknowledge(
      List<LoadDriver.Item> items, Set<Integer> rejected, Set<Integer> unconfirmed) {
    for (int i = 0; i < items.size(); i++) {
      if (rejected.contains(i)) {
        counters.rejectedItems.incrementAndGet();
      } else if (!unconfirmed.contains(i)) {
        window.acknowledged();
        acks.acknowledged(items.get(i).sensorId(), items.get(i).readingId());
      }
    }
  }

  private static Duration retryAfter(HttpResponse<String> r) {
    try {
      return Duration.ofSeconds(
          Math.max(
              0, Math.min(10, Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")))));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(1);
    }
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static Set<Integer> indices(JsonNode json, String field) {
    Set<Integer> out = new HashSet<>();
    if (json != null) {
      for (JsonNode e : json.path(field)) {
        out.add(e.path("index").asInt());
      }
    }
    return out;
  }
}
