package org.sensorcluster.node.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A tiny JSON client for the node's HTTP API. */
final class ApiClient {

  static final ObjectMapper JSON = new ObjectMapper();

  record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  private final String token;

  ApiClient(int port) {
    this(port, TestNodes.ADMIN_TOKEN);
  }

  /** A client that sends {@code token} (null: no Authorization header). */
  ApiClient(int port, String token) {
    this.base = "http://127.0.0.1:" + port + "/api/v1";
    this.token = token;
  }

  Reply post(String path, String contentType, String body) {
    return post(path, contentType, body, Duration.ofSeconds(30));
  }

  Reply post(String path, String contentType, String body, Duration timeout) {
    return send(
        request(path)
            .timeout(timeout)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  Reply postJson(String path, String body) {
    return post(path, "application/json", body);
  }

  Reply put(String path, String json) {
    return send(
        request(path)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Reply delete(String path) {
    return send(request(path).timeout(Duration.ofSeconds(30)).DELETE().build());
  }

  /** POST without a body (admin commands such as a rebuild). */
  Reply postEmpty(String path) {
    return send(
        request(path)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  /** A request with the tests' admin token. */
  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token);
  }

  /** A scrape of the node's {@code /metrics} (text, not JSON). */
  String metrics() {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(base.replace("/api/v1", "/metrics")))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new IllegalStateException("GET /metrics failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Thread.sleep for tests, interruption turned into an unchecked failure. */
  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Reply get(String path) {
    return send(request(path).timeout(Duration.ofSeconds(30)).GET().build());
  }

  /**
   * Polls {@code GET path} until {@code done} holds for the reply, or fails after {@code timeout}.
   */
  Reply awaitGet(String path, Predicate<Reply> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Reply last = null;
    while (System.nanoTime() < deadline) {
      last = get(path);
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(
        "GET "
            + path
            + " did not reach the expected state within "
            + timeout
            + "; last reply: "
            + (last == null ? "none" : last.status() + " " + last.raw().body()));
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
      return new Reply(r.statusCode(), body, r);
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
