package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.sensorcluster.domain.ReadingRules;

/**
 * Starts the real {@link ApiRoutes} on a real server (127.0.0.1, ephemeral port) over in-memory
 * fakes of the write and read side, and talks to it with {@link HttpClient}. One actor system and
 * server per test class; the fakes are reset before every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiTestBase {

  /** "Now" for {@link ReadingRules}: a reading without timestamp is stored with this time. */
  static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");

  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  static final int SINGLE_MAX_BYTES = 1024;
  static final int BATCH_MAX_BYTES = 64 * 1024;
  static final int BATCH_MAX_ITEMS = 50;
  static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  /** Small limits so that the 413 paths are cheap to reach. */
  static final HttpSettings SETTINGS =
      new HttpSettings(
          SINGLE_MAX_BYTES,
          BATCH_MAX_BYTES,
          BATCH_MAX_ITEMS,
          100,
          4,
          64,
          RETRY_AFTER,
          ReadingRules.DEFAULT_MAX_FUTURE_SKEW);

  static final QuerySettings QUERY_SETTINGS =
      new QuerySettings(Duration.ofMillis(300), RETRY_AFTER, "test-secret");

  /** Device tokens may hold half of the write permits. */
  static final QuotaSettings QUOTA_SETTINGS =
      new QuotaSettings(InMemoryTokens.DEVICE_DEFAULTS, 0.5);

  static final String JSON = "application/json";
  static final String NDJSON = "application/x-ndjson";
  static final String PROBLEM_JSON = "application/problem+json";
  static final String PROBLEM_TYPE_BASE = "https://sensorcluster.org/problems/";

  static final ObjectMapper MAPPER = new ObjectMapper();

  protected final InMemoryGateway gateway = new InMemoryGateway(NOW);
  protected final InMemoryQueries queries = new InMemoryQueries();
  protected final InMemoryAdmin admin = new InMemoryAdmin();
  protected final InMemoryTokens tokens = new InMemoryTokens();
  protected final InMemoryLiveEvents live = new InMemoryLiveEvents();
  static final ClusterAdmin.ClusterView CLUSTER =
      new ClusterAdmin.ClusterView(
          "pekko://sensors@10.0.0.1:25520",
          "pekko://sensors@10.0.0.1:25520",
          java.util.List.of(
              new ClusterAdmin.MemberView(
                  "pekko://sensors@10.0.0.1:25520", "Up", true, true, true, "0.1.0", 12, 340)),
          0,
          true,
          null);
  protected ActorSystem system;
  protected HttpClient client;
  protected URI base;
  private ServerBinding binding;
  private final List<ServerBinding> extraBindings = new ArrayList<>();

  @BeforeAll
  void startServer() throws Exception {
    Config config =
        ConfigFactory.parseString(
                """
        pekko.actor.provider = local
        pekko.loglevel = WARNING
        pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
        pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        pekko.http.server.request-timeout = 5s
        """)
            .withFallback(ConfigFactory.load());
    system = ActorSystem.create(getClass().getSimpleName(), config);
    binding = bind(SETTINGS);
    base = uriOf(binding);
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  @AfterAll
  void stopServer() throws Exception {
    try {
      for (ServerBinding b : extraBindings) {
        b.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
      if (binding != null) {
        binding.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
    } finally {
      if (system != null) {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  /** What the fake cluster says of {@link ClusterAdmin#draining()} (the node shutting down). */
  protected final java.util.concurrent.atomic.AtomicBoolean draining =
      new java.util.concurrent.atomic.AtomicBoolean();

  @BeforeEach
  void resetFakes() {
    draining.set(false);
    gateway.reset();
    queries.reset();
    queries.journal(gateway::known);
    admin.reset();
    tokens.reset();
    live.reset();
  }

  /** Binds another server with the same fakes but other settings; unbound after the class. */
  protected URI startExtraServer(HttpSettings settings) throws Exception {
    ServerBinding b = bind(settings);
    extraBindings.add(b);
    return uriOf(b);
  }

  private ServerBinding bind(HttpSettings settings) throws Exception {
    ClusterAdmin cluster =
        new ClusterAdmin() {
          @Override
          public java.util.concurrent.CompletionStage<ClusterView> status() {
            return java.util.concurrent.CompletableFuture.completedFuture(CLUSTER);
          }

          @Override
          public boolean draining() {
            return draining.get();
          }
        };
    ApiRoutes routes =
        new ApiRoutes(
            gateway,
            queries,
            admin,
            cluster,
            new ReadingRules(CLOCK, settings.maxFutureSkew()),
            settings,
            QUERY_SETTINGS,
            QUOTA_SETTINGS,
            Materializer.matFromSystem(system),
            tokens,
            tokens,
            live);
    return Http.get(system)
        .newServerAt("127.0.0.1", 0)
        .bind(routes.routes())
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  private static URI uriOf(ServerBinding b) {
    return URI.create("http://127.0.0.1:" + b.localAddress().getPort());
  }

  // ---- requests ------------------------------------------------------------------------------

  /** A reply with its body read as text; {@link #json()} parses it. */
  record Resp(int status, HttpHeaders headers, String body) {

    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }

    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("reply body is not JSON: " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + contentType() + " " + body;
    }
  }

  /** A request with the admin token of {@link InMemoryTokens} (what most route tests need). */
  protected HttpRequest.Builder request(URI server, String path) {
    return anonymous(server, path).header("Authorization", "Bearer " + InMemoryTokens.ADMIN_TOKEN);
  }

  /** A request without an {@code Authorization} header. */
  protected HttpRequest.Builder anonymous(URI server, String path) {
    return HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(5));
  }

  protected HttpRequest.Builder request(String path) {
    return request(base, path);
  }

  protected Resp send(HttpRequest request) {
    try {
      return toResp(
          client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  protected CompletableFuture<Resp> sendAsync(HttpRequest request) {
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .thenApply(ApiTestBase::toResp);
  }

  private static Resp toResp(HttpResponse<String> r) {
    return new Resp(r.statusCode(), r.headers(), r.body());
  }

  /** POST with the given Content-Type (none when null) and a fixed-length body. */
  protected Resp post(String path, String contentType, String body) {
    return send(postRequest(base, path, contentType, body));
  }

  protected Resp postJson(String path, String body) {
    return post(path, JSON, body);
  }

  protected HttpRequest postRequest(URI server, String path, String contentType, String body) {
    HttpRequest.Builder b =
        request(server, path)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return b.build();
  }

  protected Resp get(String path) {
    return send(request(path).GET().build());
  }

  protected Resp putJson(String path, String body) {
    return send(
        request(path)
            .header("Content-Type", JSON)
            .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build());
  }

  protected Resp delete(String path) {
    return send(request(path).DELETE().build());
  }

  protected Resp method(String method, String path) {
    return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
  }

  // ---- assertions ----------------------------------------------------------------------------

  /** Asserts a JSON (not problem) reply with {@code status}; returns its body. */
  static JsonNode assertJson(Resp r, int status) {
    assertEquals(status, r.status(), () -> "status of " + r);
    assertEquals(JSON, mediaType(r), () -> "content type of " + r);
    return r.json();
  }

  /**
   * Asserts an RFC 9457 problem reply: status, {@code application/problem+json}, and the standard
   * members.
   *
   * @param slug the expected last part of {@code type}, or null for {@code about:blank}
   */
  static JsonNode assertProblem(Resp r, int status, String slug) {
    assertEquals(status, r.status(), () -> "status of " + r);
    assertEquals(PROBLEM_JSON, mediaType(r), () -> "content type of " + r);
    JsonNode body = r.json();
    assertEquals(
        slug == null ? "about:blank" : PROBLEM_TYPE_BASE + slug,
        body.path("type").asText(),
        () -> "problem type of " + r);
    assertEquals(status, body.path("status").asInt(), () -> "problem status of " + r);
    assertTrue(
        body.path("title").isTextual() && !body.path("title").asText().isEmpty(),
        () -> "title of " + r);
    assertTrue(
        body.path("detail").isTextual() && !body.path("detail").asText().isEmpty(),
        () -> "detail of " + r);
    return body;
  }

  /** Asserts a 503 problem with a {@code Retry-After} of {@code seconds}. */
  static JsonNode assertUnavailable(Resp r, long seconds) {
    JsonNode body = assertProblem(r, 503, "unavailable");
    assertEquals(
        Optional.of(Long.toString(seconds)), r.header("Retry-After"), () -> "Retry-After of " + r);
    return body;
  }

  static String mediaType(Resp r) {
    String ct = r.contentType();
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase();
  }

  /** Asserts that the write side was not called at all (a 4xx must never store anything). */
  void assertNothingReachedGateway() {
    assertEquals(0, gateway.recordCalls(), () -> "record() calls: " + gateway.calls());
    assertEquals(0, gateway.totalStored());
  }

  /** The {@code index} members of a JSON array of {@code {index, error}}. */
  static List<Integer> indices(JsonNode itemErrors) {
    assertNotNull(itemErrors);
    assertTrue(itemErrors.isArray(), () -> "not an array: " + itemErrors);
    List<Integer> out = new ArrayList<>();
    itemErrors.forEach(
        e -> {
          assertTrue(
              e.path("error").isTextual() && !e.path("error").asText().isEmpty(),
              () -> "no error in " + e);
          out.add(e.path("index").asInt(-1));
        });
    return out;
  }
}
