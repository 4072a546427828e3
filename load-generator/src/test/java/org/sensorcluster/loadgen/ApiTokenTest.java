package org.sensorcluster.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bearer token of the load generator and the probes, against the in-test HTTP server: sent as
 * {@code Authorization: Bearer <token>} on every request, taken from {@code --token} or {@code
 * SENSORS_TOKEN}, and a 401 or 403 stops the run instead of being counted as load.
 */
class ApiTokenTest {

  private static final String TOKEN = "sct_loadgen-test-token_0123456789";
  private static final Map<String, String> NO_ENV = Map.of();

  private static LoadSettings settings(
      FakeIngestServer server, Map<String, String> env, String... extra) {
    List<String> args = new ArrayList<>(List.of("--url", server.url().toString()));
    args.addAll(List.of(extra));
    return LoadCommandLine.parse(args.toArray(String[]::new), env::get);
  }

  @ParameterizedTest
  @EnumSource(LoadSettings.Mode.class)
  void everyRequestOfTheLoadGeneratorCarriesTheBearerToken(LoadSettings.Mode mode)
      throws Exception {
    try (FakeIngestServer server = new FakeIngestServer(2, r -> FakeIngestServer.accepted(2))) {
      LoadSettings s =
          settings(
              server,
              NO_ENV,
              "--mode",
              mode.name().toLowerCase(),
              "--readings-per-request",
              "2",
              "--connections",
              "2",
              "--rate",
              "40",
              "--warmup",
              "0",
              "--duration",
              "1.5",
              "--token",
              TOKEN);
      LoadResult r = LoadGenerator.run(s, Clock.systemUTC());

      // how many is not the point (a busy machine may send few): that each one carries the token is
      List<FakeIngestServer.Request> got = server.received();
      assertTrue(got.size() >= 5, "requests " + got.size());
      for (FakeIngestServer.Request q : got) {
        assertEquals(
            "Bearer " + TOKEN, q.authorization(), "request " + q.number() + " " + q.path());
      }
      assertEquals(got.size(), r.statusCountsTotal().get(202), "all of them answered and counted");
      assertFalse(r.json().contains(TOKEN), "the token is not in the result");
    }
  }

  @Test
  void theTokenDefaultsToSensorsTokenAndWithoutOneNoHeaderIsSent() throws Exception {
    String[] base = {"--url", "http://h:1", "--mode", "single", "--rate", "1"};
    assertEquals(
        "from-env-0123456789abcdefgh",
        LoadCommandLine.parse(base, Map.of("SENSORS_TOKEN", "from-env-0123456789abcdefgh")::get)
            .token());
    String[] withFlag = {
      "--url", "http://h:1", "--mode", "single", "--rate", "1", "--token", "flag-wins"
    };
    assertEquals(
        "flag-wins",
        LoadCommandLine.parse(withFlag, Map.of("SENSORS_TOKEN", "from-env")::get).token());
    assertNull(LoadCommandLine.parse(base, NO_ENV::get).token());
    assertNull(
        LoadCommandLine.parse(base, Map.of("SENSORS_TOKEN", "  ")::get).token(),
        "blank means none");
    assertEquals(
        "padded",
        LoadCommandLine.parse(base, Map.of("SENSORS_TOKEN", "padded\n")::get).token(),
        "a trailing newline (token read from a file) is dropped");
    assertFalse(
        LoadCommandLine.parse(withFlag, NO_ENV::get).toString().contains("flag-wins"),
        "toString hides it");
    for (String bad : List.of("two words", "line\r\nX-Injected: 1", "tab\there", "ünicode")) {
      String[] args = {"--url", "http://h:1", "--mode", "single", "--rate", "1", "--token", bad};
      assertThrows(
          IllegalArgumentException.class, () -> LoadCommandLine.parse(args, NO_ENV::get), bad);
    }

    try (FakeIngestServer server = new FakeIngestServer(1, r -> FakeIngestServer.accepted(1))) {
      LoadGenerator.run(
          settings(
              server,
              NO_ENV,
              "--mode",
              "array",
              "--readings-per-request",
              "1",
              "--connections",
              "1",
              "--rate",
              "40",
              "--warmup",
              "0",
              "--duration",
              "0.3"),
          Clock.systemUTC());
      assertFalse(server.received().isEmpty());
      assertTrue(
          server.received().stream().allMatch(q -> q.authorization() == null),
          "no token, no header");
    }
  }

  @Test
  void a401StopsTheWholeRunAtOnceWithAMessageSayingHowToPassAToken() throws Exception {
    try (FakeIngestServer server =
        new FakeIngestServer(
            4,
            r ->
                new FakeIngestServer.Answer(
                    401,
                    "{\"status\":401,\"detail\":\"this API needs a token: Authorization: Bearer <token>\"}",
                    0))) {
      // 4 connections at 2 requests/s: each connection has 2 s between its arrivals, the run 30 s
      LoadSettings s =
          settings(
              server,
              NO_ENV,
              "--mode",
              "array",
              "--readings-per-request",
              "10",
              "--connections",
              "4",
              "--rate",
              "2",
              "--warmup",
              "1",
              "--duration",
              "30");
      long t0 = System.nanoTime();
      ApiToken.Rejected e =
          assertThrows(ApiToken.Rejected.class, () -> LoadGenerator.run(s, Clock.systemUTC()));
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.println(e.getMessage());

      assertEquals(401, e.status());
      assertTrue(e.getMessage().contains("POST /api/v1/readings answered 401"), e.getMessage());
      assertTrue(
          e.getMessage().contains("--token") && e.getMessage().contains("SENSORS_TOKEN"),
          e.getMessage());
      assertTrue(
          e.getMessage().contains("this API needs a token"),
          "the node's own words: " + e.getMessage());
      assertTrue(seconds < 5, "stopped after " + seconds + " s, not after the 31 s run");
      assertTrue(
          server.received().size() <= 4, "requests after the refusal: " + server.received().size());
    }
  }

  @Test
  void a403InTheMiddleOfARunStopsItToo() throws Exception {
    try (FakeIngestServer server =
        new FakeIngestServer(
            2,
            r ->
                r.number() < 10
                    ? FakeIngestServer.accepted(1)
                    : new FakeIngestServer.Answer(
                        403, "{\"status\":403,\"detail\":\"outside the token's scope\"}", 0))) {
      LoadSettings s =
          settings(
              server,
              NO_ENV,
              "--mode",
              "single",
              "--connections",
              "2",
              "--rate",
              "50",
              "--warmup",
              "0",
              "--duration",
              "20",
              "--token",
              TOKEN);
      long t0 = System.nanoTime();
      ApiToken.Rejected e =
          assertThrows(ApiToken.Rejected.class, () -> LoadGenerator.run(s, Clock.systemUTC()));
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.println(e.getMessage());

      assertEquals(403, e.status());
      assertTrue(
          e.getMessage()
              .matches("stopped: POST /api/v1/sensors/bench-\\d+/readings answered 403: .*"),
          e.getMessage());
      assertTrue(e.getMessage().contains("scope"), e.getMessage());
      assertFalse(e.getMessage().contains(TOKEN), "the message does not show the token");
      assertTrue(seconds < 5, "stopped after " + seconds + " s");
      assertTrue(server.received().size() <= 13, "requests: " + server.received().size());
    }
  }

  @Test
  void theReplayProbeSendsTheTokenOnEveryRequestAndStopsAt403() throws Exception {
    try (FakeIngestServer server =
        new FakeIngestServer(
            2,
            r ->
                r.method().equals("PUT")
                    ? new FakeIngestServer.Answer(201, "{}", 0)
                    : FakeIngestServer.accepted(2))) {
      new ReplayProbe(server.url().toString(), TOKEN).fill(8, 2, 2, 2, 1.0, 1, "rp-");
      List<FakeIngestServer.Request> got = server.received();
      assertEquals(
          2, got.stream().filter(q -> q.method().equals("PUT")).count(), "sensors registered");
      assertEquals(4, got.stream().filter(q -> q.method().equals("POST")).count(), "batches");
      assertTrue(
          got.stream().allMatch(q -> ("Bearer " + TOKEN).equals(q.authorization())),
          "every request");
    }
    try (FakeIngestServer server =
        new FakeIngestServer(
            1,
            r ->
                new FakeIngestServer.Answer(
                    403, "{\"detail\":\"a device token may not do this\"}", 0))) {
      ApiToken.Rejected e =
          assertThrows(
              ApiToken.Rejected.class,
              () ->
                  new ReplayProbe(server.url().toString(), TOKEN).fill(8, 2, 2, 2, 1.0, 1, "rp-"));
      assertTrue(
          e.getMessage().startsWith("stopped: PUT /api/v1/sensors/rp-0 answered 403"),
          e.getMessage());
      assertEquals(1, server.received().size(), "not retried");
    }
  }

  @Test
  void theFootprintProbeSendsTheTokenOnEveryRequestResendsA429AndStopsAt401() throws Exception {
    try (FakeIngestServer server =
        new FakeIngestServer(
            1,
            r ->
                r.path().equals("/metrics")
                    ? new FakeIngestServer.Answer(200, "sensors_sharding_entities 3", 0)
                    : FakeIngestServer.accepted(500))) {
      FootprintNode probe = new FootprintNode(server.url().toString(), TOKEN);
      probe.sendDistinct("fp-t-", 0, 1200, Integer.MAX_VALUE);
      assertEquals(3.0, probe.metric("sensors_sharding_entities"));
      List<FakeIngestServer.Request> got = server.received();
      assertEquals(4, got.size(), "3 batches and one scrape");
      assertTrue(
          got.stream().allMatch(q -> ("Bearer " + TOKEN).equals(q.authorization())),
          "every request");
    }
    // a device token over its quota: 429 (Retry-After, here the default 1 s), resent with the same
    // readingIds
    try (FakeIngestServer server =
        new FakeIngestServer(
            1,
            r ->
                r.number() == 0
                    ? new FakeIngestServer.Answer(429, "{\"status\":429}", 0)
                    : FakeIngestServer.accepted(10))) {
      new FootprintNode(server.url().toString(), TOKEN)
          .sendDistinct("fp-t-", 0, 10, Integer.MAX_VALUE);
      List<FakeIngestServer.Request> got = server.received();
      assertEquals(2, got.size(), "the 429 batch was resent once");
      assertEquals(got.get(0).body(), got.get(1).body(), "the same readings");
    }
    try (FakeIngestServer server =
        new FakeIngestServer(1, r -> new FakeIngestServer.Answer(401, "{}", 0))) {
      FootprintNode probe = new FootprintNode(server.url().toString(), null);
      ApiToken.Rejected e =
          assertThrows(
              ApiToken.Rejected.class, () -> probe.sendDistinct("fp-t-", 0, 10, Integer.MAX_VALUE));
      assertTrue(
          e.getMessage().contains("POST /api/v1/readings answered 401: the node requires a token"),
          e.getMessage());
      assertEquals(1, server.received().size(), "not retried");
    }
  }
}
