package org.sensorcluster.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The load generator against a real (small, in-test) HTTP server: the arrival rate, latency from
 * the intended send time, status counting and the record of acknowledged readings. Timing
 * assertions have generous margins: the build machine has two busy cores.
 */
class LoadGeneratorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static LoadSettings settings(FakeIngestServer server, String... extra) {
    List<String> args = new ArrayList<>(List.of("--url", server.url().toString()));
    args.addAll(List.of(extra));
    return LoadCommandLine.parse(args.toArray(String[]::new));
  }

  /**
   * The schedule, checked against what the server recorded, with bounds that hold however slow the
   * machine is (a busy client falls behind and catches up, as an open loop must) but fail when the
   * generator is wrong: every due arrival is either sent or counted unsent; none is sent before its
   * intended time; the window figures are consistent with the server's count.
   */
  @Test
  void theArrivalRateIsHonoured() throws Exception {
    int connections = 4;
    double rate = 200;
    try (FakeIngestServer server = new FakeIngestServer(4, r -> FakeIngestServer.accepted(1))) {
      LoadSettings s =
          settings(
              server,
              "--mode",
              "single",
              "--connections",
              Integer.toString(connections),
              "--rate",
              "200",
              "--warmup",
              "0.5",
              "--duration",
              "2",
              "--sensors",
              "10");
      long before = System.nanoTime();
      LoadResult r = LoadGenerator.run(s, Clock.systemUTC());
      System.out.println(r.line());

      List<FakeIngestServer.Request> got = server.received();
      // 2.5 s at 200/s: 500 arrivals due, 100 of them in the warm-up
      long due = 500;
      long dueInWarmup = 100;
      assertEquals(0, r.errorsTotal(), r.line());
      assertEquals(
          got.size(),
          r.requestsSentTotal(),
          "the server got every request the generator counts as sent");
      assertEquals(
          due,
          r.requestsSentTotal() + r.unsent(),
          "every due arrival is sent or counted unsent: sent "
              + r.requestsSentTotal()
              + ", unsent "
              + r.unsent());
      assertEquals(
          r.requestsSentTotal(), r.ackedReadingsTotal(), "each reply acknowledged one reading");

      // never ahead of the schedule: the j-th request to arrive was due at start + j/rate at the
      // earliest, and the run started after `before`. A generator that sends early or too fast
      // fails.
      long[] arrivals =
          got.stream().mapToLong(FakeIngestServer.Request::arrivalNanos).sorted().toArray();
      for (int j = 0; j < arrivals.length; j++) {
        long earliest = before + (long) (j * 1e9 / rate);
        assertTrue(
            arrivals[j] >= earliest,
            "request "
                + j
                + " arrived "
                + (earliest - arrivals[j]) / 1e6
                + " ms before it was due");
      }

      // unsent arrivals are the ones due after the generator fell behind: at most those in the last
      // oldestUnsent ms (plus one per connection for the rounding)
      assertTrue(
          r.unsent() <= r.oldestUnsentMillis() / 1000.0 * rate + connections,
          "unsent "
              + r.unsent()
              + " but the oldest was due only "
              + r.oldestUnsentMillis()
              + " ms before the end");

      // the window: sends before it are at most the warm-up's arrivals (none is early), and after
      // it at
      // most one per connection (one that was due in time but left late); every reply in the window
      // belongs to a request sent in it except at most one per connection in flight at each edge
      assertTrue(r.sentInWindow() <= r.requestsSentTotal(), "sent in window " + r.sentInWindow());
      assertTrue(
          r.sentInWindow() >= r.requestsSentTotal() - dueInWarmup - connections,
          "sent in window " + r.sentInWindow() + " of " + r.requestsSentTotal());
      long repliesInWindow = r.statusCounts().values().stream().mapToLong(Long::longValue).sum();
      assertEquals(Map.of(202, repliesInWindow), r.statusCounts(), "only 202s");
      assertEquals(
          r.sentInWindow(),
          repliesInWindow,
          connections,
          "replies in the window vs requests sent in it");
      assertEquals(repliesInWindow, r.ackedRequestsInWindow());
      assertEquals(repliesInWindow, r.ackedReadingsInWindow(), "one reading acknowledged per 202");
      assertEquals(
          r.ackedReadingsInWindow() / 2.0,
          r.ackedReadingsPerSecond(),
          1e-9,
          "per second of the 2 s window");
      // latency is charged from the intended time, so it is never below the service time
      assertTrue(
          r.ackMillis(50) >= r.serviceMillis(50) && r.maxAckMillis() >= r.serviceMillis(100),
          r.line());
    }
  }

  @Test
  void aStallIsChargedToEveryRequestThatShouldHaveBeenSentDuringIt() throws Exception {
    // one connection, 100 requests/s, the server stalls 1 s on request 100 (t = 1 s). A closed-loop
    // client would record one slow request; here ~100 requests were due during the stall and each
    // is charged from its intended send time: ~1000, 990, ..., 10 ms.
    try (FakeIngestServer server =
        new FakeIngestServer(
            2,
            r ->
                new FakeIngestServer.Answer(
                    202, "{\"accepted\":1,\"duplicates\":0}", r.number() == 100 ? 1000 : 0))) {
      LoadSettings s =
          settings(
              server,
              "--mode",
              "single",
              "--connections",
              "1",
              "--rate",
              "100",
              "--warmup",
              "0",
              "--duration",
              "3");
      LoadResult r = LoadGenerator.run(s, Clock.systemUTC());
      System.out.println(r.line());

      long over250 = r.ackLatency().getCountBetweenValues(250_000, ConnectionWorker.MAX_MICROS);
      long serviceOver250 =
          r.ackServiceTime().getCountBetweenValues(250_000, ConnectionWorker.MAX_MICROS);
      assertTrue(over250 >= 60, "requests charged > 250 ms: " + over250 + " (expected ~75)");
      assertTrue(
          serviceOver250 <= 3, "service times > 250 ms (the closed-loop view): " + serviceOver250);
      assertTrue(r.maxAckMillis() >= 950, "max " + r.maxAckMillis());
      assertTrue(r.ackMillis(90) >= 100, "p90 " + r.ackMillis(90) + " ms includes the queueing");
    }
  }

  @Test
  void aServerSlowerThanTheArrivalRateShowsGrowingLatencyNotAFlatterRate() throws Exception {
    // 40 requests/s offered on one connection, 50 ms per request: the server does 20/s, so the
    // queue and the latency grow for the whole run (~25 ms more per request).
    try (FakeIngestServer server =
        new FakeIngestServer(
            1, r -> new FakeIngestServer.Answer(202, "{\"accepted\":1,\"duplicates\":0}", 50))) {
      LoadSettings s =
          settings(
              server,
              "--mode",
              "single",
              "--connections",
              "1",
              "--rate",
              "40",
              "--warmup",
              "0",
              "--duration",
              "2");
      LoadResult r = LoadGenerator.run(s, Clock.systemUTC());
      System.out.println(r.line());

      assertTrue(
          r.ackMillis(99) >= 500, "p99 " + r.ackMillis(99) + " ms: latency includes the queue");
      // the service time (from the actual send) leaves the queue out: request k waits behind k
      // earlier ones, so the median latency is many service times. A ratio, not an absolute bound:
      // a slow machine makes both larger, and only a service time measured from the intended time
      // (the queue included) comes near the latency.
      assertTrue(
          r.serviceMillis(50) * 2 <= r.ackMillis(50),
          "service p50 "
              + r.serviceMillis(50)
              + " ms vs ack p50 "
              + r.ackMillis(50)
              + " ms: the server itself is quick");
      assertTrue(r.unsent() >= 20, "due but never sent: " + r.unsent());
      assertTrue(r.ackedReadingsPerSecond() <= 25, "acknowledged/s " + r.ackedReadingsPerSecond());
      assertNotNull(MaxRateSearch.verdict(r, Duration.ofSeconds(10)), "not sustainable");
    }
  }

  @Test
  void everyStatusIsCountedAndOnlyTheAcceptedOf202sAreAcknowledged() throws Exception {
    Map<Integer, Long> sent = new ConcurrentHashMap<>();
    AtomicLong acceptedSent = new AtomicLong();
    try (FakeIngestServer server =
        new FakeIngestServer(
            4,
            r -> {
              FakeIngestServer.Answer a =
                  switch (r.number() % 5) {
                    case 0 ->
                        new FakeIngestServer.Answer(503, "{\"type\":\"x\",\"status\":503}", 0);
                    case 1 -> new FakeIngestServer.Answer(400, "{\"status\":400}", 0);
                    case 2 ->
                        new FakeIngestServer.Answer(413, "{\"accepted\":3,\"duplicates\":0}", 0);
                    default -> {
                      acceptedSent.addAndGet(4);
                      // a rejected item whose error text holds JSON-ish characters
                      yield new FakeIngestServer.Answer(
                          202,
                          "{\"accepted\":4,\"duplicates\":0,\"rejected\":[{\"index\":2,\"error\":\"may only contain [a-z] ] \\\"}\"}]}",
                          0);
                    }
                  };
              sent.merge(a.status(), 1L, Long::sum);
              return a;
            })) {
      LoadSettings s =
          settings(
              server,
              "--mode",
              "array",
              "--readings-per-request",
              "5",
              "--connections",
              "3",
              "--rate",
              "150",
              "--warmup",
              "0",
              "--duration",
              "1");
      LoadResult r = LoadGenerator.run(s, Clock.systemUTC());
      System.out.println(r.line());
      System.out.println(r.json());

      assertEquals(
          new TreeMap<>(sent), r.statusCountsTotal(), "every status the server sent, counted once");
      assertEquals(acceptedSent.get(), r.ackedReadingsTotal(), "only 202 \"accepted\" counts");
      assertEquals(0, r.errors());
      // the window holds all replies but those still in flight when it closed (at most one per
      // connection)
      long inWindow = r.statusCounts().values().stream().mapToLong(Long::longValue).sum();
      long total = sent.values().stream().mapToLong(Long::longValue).sum();
      assertTrue(inWindow <= total && inWindow >= total - 3, inWindow + " of " + total);
      r.statusCounts().forEach((status, n) -> assertTrue(n <= sent.get(status)));
      assertEquals(inWindow - r.statusCounts().getOrDefault(202, 0L), r.non202());
      assertEquals(
          3 * r.statusCounts().getOrDefault(413, 0L),
          r.partiallyAcceptedInWindow(),
          "what non-202 replies say they stored is reported apart, not acknowledged");

      JsonNode json = JSON.readTree(r.json());
      assertEquals(sent.get(503).longValue(), json.path("status_counts").path("503").asLong());
      assertTrue(json.path("ack_latency_ms").path("p99").isNumber());
      assertEquals("array", json.path("mode").asText());
      assertTrue(json.path("first_body_by_status").path("400").asText().contains("400"));
    }
  }

  @Test
  void refusedConnectionsAreCountedAsErrors() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    LoadSettings s =
        LoadCommandLine.parse(
            new String[] {
              "--url",
              "http://127.0.0.1:" + port,
              "--mode",
              "single",
              "--connections",
              "2",
              "--rate",
              "50",
              "--warmup",
              "0",
              "--duration",
              "0.5"
            });
    LoadResult r = LoadGenerator.run(s, Clock.systemUTC());
    assertEquals(r.requestsSentTotal(), r.errorsTotal(), "every attempt failed and was counted");
    assertTrue(r.errors() >= 20);
    assertEquals(0, r.ackedReadingsTotal());
    assertNotNull(MaxRateSearch.verdict(r, Duration.ofSeconds(1)));
  }

  @ParameterizedTest
  @EnumSource(LoadSettings.Mode.class)
  void recordHoldsExactlyTheReadingsThat202sAcknowledged(LoadSettings.Mode mode, @TempDir Path dir)
      throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Set<String> everyReadingId = ConcurrentHashMap.newKeySet();
    AtomicLong duplicateIds = new AtomicLong();
    int perRequest = mode == LoadSettings.Mode.SINGLE ? 3 : 4;
    try (FakeIngestServer server =
        new FakeIngestServer(
            4,
            r -> {
              List<String[]> items = parse(mode, r);
              for (String[] item : items)
                if (!everyReadingId.add(item[1])) duplicateIds.incrementAndGet();
              if (r.number() % 3 == 0)
                return new FakeIngestServer.Answer(503, "{\"status\":503}", 0);
              // 202 that rejects item 1 (as the node does for an invalid item of a batch)
              for (int i = 0; i < items.size(); i++)
                if (i != 1) acknowledged.add(items.get(i)[0] + "\t" + items.get(i)[1]);
              return new FakeIngestServer.Answer(
                  202,
                  "{\"accepted\":"
                      + (items.size() - 1)
                      + ",\"duplicates\":0,\"rejected\":[{\"index\":1,\"error\":\"no\"}]}",
                  0);
            })) {
      Path file = dir.resolve("acks.tsv");
      Files.writeString(file, "earlier\trun\n"); // --record appends
      LoadSettings s =
          settings(
              server,
              "--mode",
              mode.name().toLowerCase(),
              "--readings-per-request",
              Integer.toString(perRequest),
              "--sensors",
              "7",
              "--sensor-prefix",
              "rec-",
              "--connections",
              "3",
              "--rate",
              "100",
              "--warmup",
              "0.2",
              "--duration",
              "0.8",
              "--record",
              file.toString());
      LoadResult r = LoadGenerator.run(s, Clock.systemUTC());
      System.out.println(r.line());

      List<String> lines = Files.readAllLines(file);
      assertEquals("earlier\trun", lines.get(0));
      List<String> recorded = lines.subList(1, lines.size());
      assertEquals(recorded.size(), new HashSet<>(recorded).size(), "no line twice");
      assertEquals(
          acknowledged, new HashSet<>(recorded), "exactly the acknowledged (sensorId, readingId)");
      assertTrue(recorded.size() >= 50, "recorded " + recorded.size());
      assertEquals(0, duplicateIds.get(), "readingIds are unique");
      assertTrue(recorded.stream().allMatch(l -> l.startsWith("rec-")), "sensor prefix used");
      Set<String> sensors = new HashSet<>();
      for (String l : recorded) sensors.add(l.substring(0, l.indexOf('\t')));
      assertTrue(sensors.size() <= 7 && sensors.size() >= 2, "sensors " + sensors);
    }
  }

  /** (sensorId, readingId) of each item, parsed the way the node reads each format. */
  private static List<String[]> parse(LoadSettings.Mode mode, FakeIngestServer.Request r)
      throws Exception {
    List<String[]> items = new ArrayList<>();
    switch (mode) {
      case SINGLE -> {
        assertEquals("application/json", r.contentType());
        String path = r.path();
        assertTrue(path.startsWith("/api/v1/sensors/") && path.endsWith("/readings"), path);
        String sensor =
            path.substring("/api/v1/sensors/".length(), path.length() - "/readings".length());
        JsonNode body = JSON.readTree(r.body());
        for (JsonNode n : body.isArray() ? body : JSON.createArrayNode().add(body)) {
          assertTrue(n.path("sensorId").isMissingNode());
          assertTrue(n.path("value").isNumber());
          items.add(new String[] {sensor, n.path("readingId").asText()});
        }
      }
      case ARRAY -> {
        assertEquals("application/json", r.contentType());
        assertEquals("/api/v1/readings", r.path());
        for (JsonNode n : JSON.readTree(r.body())) items.add(item(n));
      }
      case NDJSON -> {
        assertEquals("application/x-ndjson", r.contentType());
        assertEquals("/api/v1/readings", r.path());
        for (String line : r.body().split("\n")) items.add(item(JSON.readTree(line)));
      }
    }
    return items;
  }

  private static String[] item(JsonNode n) {
    assertTrue(
        n.path("timestamp")
            .asText()
            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));
    return new String[] {n.path("sensorId").asText(), n.path("readingId").asText()};
  }

  @Test
  void findMaxStopsWhereTheServerRunsOutOfCapacity() throws Exception {
    // one server thread, 20 ms per request: about 50 requests/s at most
    try (FakeIngestServer server =
        new FakeIngestServer(
            1, r -> new FakeIngestServer.Answer(202, "{\"accepted\":1,\"duplicates\":0}", 20))) {
      LoadSettings s =
          settings(
              server,
              "--mode",
              "single",
              "--connections",
              "4",
              "--find-max",
              "--start-rate",
              "10",
              "--step-factor",
              "2",
              "--max-p99",
              "300",
              "--refine",
              "1",
              "--step-pause",
              "0",
              "--warmup",
              "0.3",
              "--duration",
              "1.5");
      List<String> progress = new ArrayList<>();
      MaxRateSearch.Outcome o = MaxRateSearch.run(s, Clock.systemUTC(), progress::add);
      progress.forEach(System.out::println);
      System.out.println(o.line());

      assertNotNull(o.best(), "10 and 20 requests/s are sustainable");
      double max = o.best().result().settings().requestsPerSecond();
      assertTrue(max >= 20 && max <= 60, "max " + max + " requests/s (capacity ~50)");
      assertTrue(o.steps().stream().anyMatch(st -> !st.good()), "some step broke");
      assertNull(MaxRateSearch.verdict(o.best().result(), Duration.ofMillis(300)));
      JsonNode json = JSON.readTree(o.json());
      assertEquals(max, json.path("max_requests_per_s").asDouble(), 0.01);
    }
  }

  @Test
  void readingRateIsConvertedToRequestsAndDefaultsFollowTheMode() {
    LoadSettings a =
        LoadCommandLine.parse(
            new String[] {"--url", "http://h:1", "--mode", "array", "--reading-rate", "10000"});
    assertEquals(500, a.readingsPerRequest());
    assertEquals(20.0, a.requestsPerSecond(), 1e-9);
    assertEquals(Duration.ofSeconds(60), a.duration());
    LoadSettings s =
        LoadCommandLine.parse(
            new String[] {"--url", "http://h:1", "--mode", "single", "--rate", "300"});
    assertEquals(1, s.readingsPerRequest());
    assertEquals(300.0, s.readingsPerSecond(), 1e-9);
    for (String[] bad :
        List.of(
            new String[] {"--url", "http://h:1", "--mode", "single"},
            new String[] {
              "--url", "http://h:1", "--mode", "single", "--rate", "1", "--reading-rate", "1"
            },
            new String[] {"--url", "http://h:1", "--mode", "other", "--rate", "1"},
            new String[] {
              "--url", "http://h:1", "--mode", "single", "--rate", "1", "--sensor-prefix", "a b"
            },
            new String[] {"--url", "https://h:1", "--mode", "single", "--rate", "1"})) {
      try {
        LoadCommandLine.parse(bad);
        throw new AssertionError("accepted " + String.join(" ", bad));
      } catch (IllegalArgumentException expected) {
        // refused
      }
    }
  }
}
