package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.node.StorageConfig;
import org.sensorcluster.testing.TestPostgres;

/**
 * A PostgreSQL outage, simulated by cutting a TCP proxy between the node and the database (journal
 * pool and read-model pool both go through it): while the database is unreachable every write is
 * answered 503 with Retry-After and a problem body (never 202, never 500); once it is back the node
 * accepts writes again without a restart, and every reading ever acknowledged with 202 is in the
 * journal exactly once, with gap-free sequence numbers, and reaches the read model.
 *
 * <p>The cut closes every connection (the node sees the outage at once, as when the database
 * restarts). Connections that go silent without being closed (a partition dropping packets) are a
 * different case, not covered here: the JDBC driver has no socket timeout configured, so a call on
 * such a connection blocks until TCP gives up.
 */
class JournalOutageTest {

  private static final int SENSORS = 4;
  private static final Duration OUTAGE = Duration.ofSeconds(5);
  private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);
  private static final Duration PROJECTION_WAIT = Duration.ofSeconds(30);

  private static TestPostgres pg;
  private Outage outage;

  @BeforeEach
  void createDatabase() {
    pg = TestPostgres.createDatabase("outage");
  }

  @AfterEach
  void dropDatabase() {
    if (pg != null) {
      pg.drop();
    }
  }

  /** One reading of the test, with the sensor it belongs to. */
  record Item(String sensorId, String readingId, double value) {
    String json(boolean withSensor) {
      return "{"
          + (withSensor ? "\"sensorId\":\"" + sensorId + "\"," : "")
          + "\"readingId\":\""
          + readingId
          + "\",\"value\":"
          + value
          + "}";
    }
  }

  /**
   * A write request: one sensor's readings (single endpoint) or items of many sensors (batch
   * endpoint).
   */
  record Write(String sensorId, List<Item> items) {
    boolean batch() {
      return sensorId == null;
    }

    String path() {
      return batch() ? "/readings" : "/sensors/" + sensorId + "/readings";
    }

    String body() {
      List<String> parts = new ArrayList<>();
      for (Item i : items) {
        parts.add(i.json(batch()));
      }
      return "[" + String.join(",", parts) + "]";
    }
  }

  private static String sensor(int i) {
    return "outage-" + i;
  }

  private static Write single(int sensor, String prefix, int count) {
    List<Item> items = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      items.add(new Item(sensor(sensor), prefix + "-" + k, k));
    }
    return new Write(sensor(sensor), items);
  }

  private static Write batch(String prefix, int perSensor) {
    List<Item> items = new ArrayList<>();
    for (int k = 0; k < perSensor; k++) {
      for (int s = 0; s < SENSORS; s++) {
        items.add(new Item(sensor(s), prefix + "-" + k, 100 + k));
      }
    }
    return new Write(null, items);
  }

  /** Storage through the proxy, plus the short timeouts that keep this test fast. */
  private static Config config(int proxyPort) {
    String database = pg.url().substring(pg.url().lastIndexOf('/') + 1);
    String url = "jdbc:postgresql://127.0.0.1:" + proxyPort + "/" + database;
    return ConfigFactory.parseString(
            String.join(
                "\n",
                "sensors.db.url = \"" + url + "\"",
                "sensors.db.user = \"" + pg.user() + "\"",
                "sensors.db.password = \"" + pg.password() + "\"",
                // The HTTP layer: give up on a sensor after 1 s, open the write breaker after 3
                // failures for 2 s.
                "sensors.entity.ask-timeout = 1s",
                "sensors.entity.circuit-breaker.max-failures = 3",
                "sensors.entity.circuit-breaker.reset-timeout = 2s",
                "sensors.http.retry-after = 1s",
                // A silently lost connection fails a statement after 5 s; the server ends an
                // abandoned
                // transaction (releasing its locks) after 5 s (production defaults: 30 s and 10 s).
                "sensors.db.socket-timeout = 5s",
                "sensors.db.idle-in-transaction-timeout = 5s",
                "sensors.http.query-timeout = 2s",
                // The journal plugin's own breaker (persistence.conf: call-timeout 10s,
                // reset-timeout 5s) and the
                // Slick pool's wait for a connection (5 s in persistence.conf).
                "jdbc-journal.circuit-breaker.call-timeout = 3s",
                "jdbc-journal.circuit-breaker.reset-timeout = 2s",
                "jdbc-snapshot-store.circuit-breaker.call-timeout = 3s",
                "jdbc-snapshot-store.circuit-breaker.reset-timeout = 2s",
                "pekko-persistence-jdbc.shared-databases.sensors.db.connectionTimeout = 1000"))
        .withFallback(TestNodes.baseOverrides());
  }

  /** How the database goes away. */
  enum Outage {
    /** Connections closed, new ones refused: the database host restarts. */
    CUT,
    /**
     * Connections go silent, nobody is told: a network partition. Needs socket and
     * idle-in-transaction timeouts.
     */
    FREEZE
  }

  @ParameterizedTest
  @EnumSource(Outage.class)
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void an_outage_gives_clean_503s_and_loses_nothing_acknowledged(Outage outage) throws Exception {
    this.outage = outage;
    try (TcpProxy proxy = new TcpProxy(TestPostgres.HOST, Integer.parseInt(TestPostgres.PORT))) {
      long startAt = System.nanoTime();
      SensorNode node = SensorNode.start(StorageConfig.load(config(proxy.port())));
      long startMs = (System.nanoTime() - startAt) / 1_000_000;
      try {
        run(node, proxy, startMs);
      } finally {
        node.stop(); // before the proxy closes, so the node's last writes still reach the database
      }
    }
  }

  private void run(SensorNode node, TcpProxy proxy, long startMs) throws Exception {
    // Every reading a 202 vouched for (accepted or already stored), per sensor.
    Map<String, Set<String>> acked = new TreeMap<>();
    List<Integer> allStatuses = new ArrayList<>();
    ApiClient api = new ApiClient(node.httpPort());

    // 1. Normal operation. A sensor's first write in a cold JVM (shard allocation, recovery, first
    // insert) can take longer than the 1 s ask-timeout, so writes are retried until acknowledged,
    // as a client would, with the same readingIds.
    List<Write> before = new ArrayList<>();
    for (int s = 0; s < SENSORS; s++) {
      before.add(single(s, "before", 3));
    }
    before.add(batch("before-batch", 2));
    for (Write w : before) {
      ApiClient.Reply r = sendUntilAccepted(api, w, allStatuses, Duration.ofSeconds(20));
      assertEquals(
          w.items().size(),
          r.body().get("accepted").asInt() + r.body().get("duplicates").asInt(),
          r.raw().body());
      remember(acked, w);
    }
    for (int s = 0; s < SENSORS; s++) {
      api.awaitGet(
          "/sensors/" + sensor(s),
          r -> r.status() == 200 && r.body().get("readingCount").asLong() == 5,
          PROJECTION_WAIT);
    }

    // 2. The database goes away.
    if (outage == Outage.CUT) {
      proxy.cut();
    } else {
      proxy.freeze();
    }
    long cutAt = System.nanoTime();
    long eventualStart = System.nanoTime();
    CompletableFuture<Long> eventualDone = new CompletableFuture<>();
    CompletableFuture<ApiClient.Reply> eventualRead =
        CompletableFuture.supplyAsync(
            () -> {
              ApiClient.Reply r = api.get("/sensors/" + sensor(0));
              eventualDone.complete((System.nanoTime() - eventualStart) / 1_000_000);
              return r;
            });
    List<Write> unconfirmed = new ArrayList<>();
    Set<Integer> outageStatuses = new TreeSet<>();
    Set<Integer> strongStatuses = new TreeSet<>();
    Map<String, Integer> outageDetails = new LinkedHashMap<>();
    int round = 0;
    while (System.nanoTime() - cutAt < OUTAGE.toNanos()) {
      List<Write> writes =
          List.of(single(round % SENSORS, "during-" + round, 2), batch("during-batch-" + round, 2));
      for (Write w : writes) {
        ApiClient.Reply r = send(api, w, allStatuses);
        outageStatuses.add(r.status());
        if (r.status() == 202) {
          remember(acked, w); // a failure below, but keep the books right
        } else {
          unconfirmed.add(w);
        }
        assertEquals(
            503,
            r.status(),
            "during the outage " + w.path() + " answered " + r.status() + ": " + r.raw().body());
        assertUnavailableProblem(r);
        if (w.batch()) {
          JsonNode indices = r.body().get("unconfirmed");
          assertNotNull(
              indices, "a 503 batch reply lists the unconfirmed items: " + r.raw().body());
          assertEquals(w.items().size(), indices.size(), r.raw().body());
          assertEquals(0, r.body().get("accepted").asInt(), r.raw().body());
        }
        outageDetails.merge(
            r.body().path("detail").asText().replaceAll("[0-9]+", "#"), 1, Integer::sum);
      }
      ApiClient.Reply strong =
          api.get("/sensors/" + sensor(round % SENSORS) + "?consistency=strong");
      allStatuses.add(strong.status());
      strongStatuses.add(strong.status());
      assertTrue(
          strong.status() == 200 || strong.status() == 503,
          "strong read during the outage answered " + strong.status() + ": " + strong.raw().body());
      if (strong.status() == 503) {
        assertUnavailableProblem(strong);
      }
      round++;
    }
    assertEquals(Set.of(503), outageStatuses, "every write during the outage is refused with 503");
    ApiClient.Reply eventual = eventualRead.get(30, TimeUnit.SECONDS);
    // Bounded by the query timeout (2 s), not by the dead connection (the 30 s socket timeout; the
    // database stays cut until after this check). 10 s leaves room for a loaded machine.
    assertTrue(
        eventualDone.get() < 10_000,
        "a read-model query is bounded by the query timeout (2 s), took "
            + eventualDone.get()
            + " ms");
    allStatuses.add(eventual.status());
    assertTrue(
        eventual.status() == 200 || eventual.status() == 503,
        "eventual read during the outage answered "
            + eventual.status()
            + ": "
            + eventual.raw().body());
    if (eventual.status() == 503) {
      assertUnavailableProblem(eventual);
    }

    // 3. The database is back: writes are accepted again, without restarting the node.
    proxy.restore();
    long restoredAt = System.nanoTime();
    Write probe = single(0, "probe", 1);
    ApiClient.Reply ok = null;
    List<Integer> recoveryStatuses = new ArrayList<>();
    while (System.nanoTime() - restoredAt < RECOVERY_LIMIT.toNanos()) {
      ok = send(api, probe, allStatuses);
      recoveryStatuses.add(ok.status());
      if (ok.status() == 202) {
        break;
      }
      assertEquals(503, ok.status(), "while recovering: " + ok.raw().body());
      assertUnavailableProblem(ok);
      Thread.sleep(200);
    }
    long recoveredMs = (System.nanoTime() - restoredAt) / 1_000_000;
    assertNotNull(ok);
    if (ok.status() != 202) {
      fail(
          "the node did not accept writes within "
              + RECOVERY_LIMIT
              + " after the database came back; "
              + "statuses "
              + compact(recoveryStatuses)
              + ", last reply "
              + ok.raw().body());
    }
    remember(acked, probe);

    // Every write that got 503 is re-sent with the same readingIds: whether or not it had landed,
    // it is now acknowledged, and counted as accepted or duplicate, never both, never lost.
    int landedAnyway = 0;
    for (Write w : unconfirmed) {
      ApiClient.Reply r = sendUntilAccepted(api, w, allStatuses, Duration.ofSeconds(15));
      int accepted = r.body().get("accepted").asInt();
      int duplicates = r.body().get("duplicates").asInt();
      assertEquals(w.items().size(), accepted + duplicates, w.path() + " " + r.raw().body());
      landedAnyway += duplicates;
      remember(acked, w);
    }
    long resentMs = (System.nanoTime() - restoredAt) / 1_000_000;

    // 4. The journal, read directly (not through the proxy).
    JournalContents journal;
    try (Connection c = pg.connect()) {
      journal = JournalContents.read(c);
    }
    journal.assertNoDuplicates();
    Map<String, Map<String, Integer>> journalIds = journal.idCounts();
    long ackedTotal = 0;
    for (Map.Entry<String, Set<String>> e : acked.entrySet()) {
      Map<String, Integer> stored = journalIds.getOrDefault(e.getKey(), Map.of());
      for (String readingId : e.getValue()) {
        assertEquals(
            1,
            stored.getOrDefault(readingId, 0),
            "acknowledged reading "
                + e.getKey()
                + "/"
                + readingId
                + " is in the journal exactly once");
      }
      // Everything in the journal was acknowledged in the end (all 503'd writes were re-sent).
      assertEquals(e.getValue(), stored.keySet(), "journal of " + e.getKey());
      ackedTotal += e.getValue().size();
    }
    assertEquals(acked.keySet(), journalIds.keySet(), "sensors in the journal");

    // 5. The read model catches up with the journal, and the entities agree.
    long projectionStart = System.nanoTime();
    for (Map.Entry<String, List<String>> e : journal.readingIds.entrySet()) {
      long expected = e.getValue().size();
      ApiClient.Reply view =
          api.awaitGet(
              "/sensors/" + e.getKey(),
              r -> r.status() == 200 && r.body().get("readingCount").asLong() >= expected,
              PROJECTION_WAIT);
      assertEquals(
          expected, view.body().get("readingCount").asLong(), "read model of " + e.getKey());
      ApiClient.Reply strong = api.get("/sensors/" + e.getKey() + "?consistency=strong");
      assertEquals(200, strong.status(), strong.raw().body());
      assertEquals(expected, strong.body().get("readingCount").asLong(), "entity of " + e.getKey());
      assertEquals(
          journal.lastSeqNr.get(e.getKey()), strong.body().get("sequenceNr").asLong(), e.getKey());
    }
    long projectionMs = (System.nanoTime() - projectionStart) / 1_000_000;
    assertFalse(allStatuses.contains(500), "no request was answered 500: " + compact(allStatuses));

    System.out.printf(
        "JournalOutageTest: node started in %d ms; outage %d ms, write statuses during outage %s (%d writes, details %s),"
            + " strong reads %s, eventual read %d; recovered %d ms after restore (statuses %s), all 503'd writes"
            + " re-sent by %d ms (%d reading(s) had landed despite 503); %d readings acknowledged = journal;"
            + " read model caught up %d ms later; proxy: %d forwarded, %d refused connections%n",
        startMs,
        OUTAGE.toMillis(),
        outageStatuses,
        unconfirmed.size(),
        outageDetails,
        strongStatuses,
        eventual.status(),
        recoveredMs,
        compact(recoveryStatuses),
        resentMs,
        landedAnyway,
        ackedTotal,
        projectionMs,
        proxy.forwardedConnections(),
        proxy.refusedConnections());
  }

  private static ApiClient.Reply send(ApiClient api, Write w, List<Integer> statuses) {
    ApiClient.Reply r = api.postJson(w.path(), w.body());
    statuses.add(r.status());
    return r;
  }

  private static ApiClient.Reply sendUntilAccepted(
      ApiClient api, Write w, List<Integer> statuses, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      ApiClient.Reply r = send(api, w, statuses);
      if (r.status() == 202) {
        return r;
      }
      assertEquals(503, r.status(), w.path() + " after the database came back: " + r.raw().body());
      assertUnavailableProblem(r);
      if (System.nanoTime() > deadline) {
        fail(w.path() + " still refused after " + limit + ": " + r.raw().body());
      }
      Thread.sleep(200);
    }
  }

  private static void remember(Map<String, Set<String>> acked, Write w) {
    for (Item i : w.items()) {
      acked.computeIfAbsent(i.sensorId(), k -> new LinkedHashSet<>()).add(i.readingId());
    }
  }

  private static void assertUnavailableProblem(ApiClient.Reply r) {
    String retryAfter =
        r.raw()
            .headers()
            .firstValue("Retry-After")
            .orElseThrow(
                () -> new AssertionError("503 without Retry-After: " + r.raw().headers().map()));
    assertTrue(
        retryAfter.matches("[0-9]+") && Long.parseLong(retryAfter) >= 1,
        "Retry-After: " + retryAfter);
    String contentType = r.raw().headers().firstValue("Content-Type").orElse("");
    assertTrue(contentType.startsWith("application/problem+json"), "Content-Type: " + contentType);
    assertEquals(503, r.body().path("status").asInt(), r.raw().body());
    assertTrue(
        r.body().hasNonNull("type")
            && r.body().hasNonNull("title")
            && r.body().hasNonNull("detail"),
        r.raw().body());
  }

  /** Statuses as "503x12, 202" (runs of equal values collapsed). */
  private static String compact(List<Integer> statuses) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < statuses.size()) {
      int j = i;
      while (j < statuses.size() && statuses.get(j).equals(statuses.get(i))) {
        j++;
      }
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(statuses.get(i));
      if (j - i > 1) {
        sb.append('x').append(j - i);
      }
      i = j;
    }
    return sb.toString();
  }
}
