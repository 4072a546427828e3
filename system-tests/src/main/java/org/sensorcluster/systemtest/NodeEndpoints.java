package org.sensorcluster.systemtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP side of a {@link NodeProcess}: its API on {@link NodeProcess#HTTP_PORT} and its
 * management endpoints (readiness, cluster members) on {@link NodeProcess#MANAGEMENT_PORT}, called
 * from the root namespace over the bridge.
 */
final class NodeEndpoints {

  private final String ip;
  private volatile boolean readySinceStart;
  private volatile long nextReadyProbe = System.nanoTime();

  NodeEndpoints(String ip) {
    this.ip = ip;
  }

  /** The node's process was (re)started: it is not ready until it says so. */
  void restarted() {
    readySinceStart = false;
  }

  /**
   * Whether the load goes to this node: it has answered ready since it (re)started, as a Kubernetes
   * Service adds a pod to its endpoints only after its first successful readiness probe (and, like
   * a client in a partition, keeps reaching it afterwards). Probes at most every 500 ms.
   */
  boolean inRotation(HttpClient http) {
    long now = System.nanoTime();
    if (!readySinceStart && now - nextReadyProbe >= 0) {
      nextReadyProbe = now + 500_000_000L;
      ready(http);
    }
    return readySinceStart;
  }

  String baseUrl() {
    return "http://" + ip + ":" + NodeProcess.HTTP_PORT;
  }

  /** True when {@code /ready} answers 200 (polled from the root namespace over the bridge). */
  boolean ready(HttpClient http) {
    boolean ready = get(http, "/ready").map(r -> r.statusCode() == 200).orElse(false);
    if (ready) {
      readySinceStart = true;
    }
    return ready;
  }

  java.util.Optional<HttpResponse<String>> get(HttpClient http, String path) {
    return send(
        http,
        HttpRequest.newBuilder(
                URI.create("http://" + ip + ":" + NodeProcess.MANAGEMENT_PORT + path))
            .timeout(Duration.ofSeconds(2))
            .build());
  }

  /**
   * POSTs {@code json} (one reading) to the node's {@code /api/v1/sensors/{sensor}/readings}; empty
   * when no reply came.
   */
  java.util.Optional<HttpResponse<String>> postReading(
      HttpClient http, String sensor, String json, Duration timeout) {
    return send(http, readingRequest(sensor, json, timeout));
  }

  /** The POST of one reading to {@code sensor}, with the suite's token. */
  HttpRequest readingRequest(String sensor, String json, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/sensors/" + sensor + "/readings"))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header(SuiteToken.HEADER, SuiteToken.bearer())
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private static java.util.Optional<HttpResponse<String>> send(
      HttpClient http, HttpRequest request) {
    try {
      return java.util.Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }
}
