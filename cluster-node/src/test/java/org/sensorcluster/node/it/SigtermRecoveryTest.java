package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sensorcluster.testing.TestPostgres;

/**
 * The promise of the ingest path, end to end with a real process and real PostgreSQL: a node is
 * sent SIGTERM while clients are writing; after a restart every reading it acknowledged is in the
 * journal exactly once and reaches the read model.
 */
class SigtermRecoveryTest {

  private static TestPostgres pg;

  @BeforeAll
  static void createDatabase() {
    pg = TestPostgres.createDatabase("sigterm");
  }

  @AfterAll
  static void dropDatabase() {
    if (pg != null) {
      pg.drop();
    }
  }

  record Acked(String sensorId, String readingId) {}

  @Test
  void readings_acknowledged_before_sigterm_are_all_stored_once_after_restart() throws Exception {
    Map<String, String> env =
        Map.of(
            "SENSORS_DB_URL",
            pg.url(),
            "SENSORS_DB_USER",
            pg.user(),
            "SENSORS_DB_PASSWORD",
            pg.password(),
            "SENSORS_LOG_LEVEL",
            "WARN",
            "SENSORS_PROJECTION_GROUP_WITHIN",
            "50ms",
            "SENSORS_READ_JOURNAL_REFRESH_INTERVAL",
            "100ms");
    Set<Acked> acked = ConcurrentHashMap.newKeySet();
    AtomicInteger refused = new AtomicInteger();
    // every request's outcome: when it was sent, and its status (or the exception instead of one)
    List<Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
    try (NodeProcess node = new NodeProcess(env, NodeProcess.logFile("sigterm-node"))) {
      node.start(Duration.ofSeconds(60));
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        Thread t =
            new Thread(
                () -> write(node.httpPort, writer, stop, acked, refused, outcomes), "writer-" + w);
        t.start();
        writers.add(t);
      }
      awaitAcked(acked, 500, Duration.ofSeconds(120)); // returns as soon as 500 are acknowledged
      long sigtermAt = System.nanoTime();
      int exit = node.terminate(Duration.ofSeconds(45));
      stop.set(true);
      for (Thread t : writers) {
        t.join(30_000);
      }
      System.out.printf(
          "SIGTERM test: %d readings acknowledged, %d requests not acknowledged, exit code %d%n",
          acked.size(), refused.get(), exit);
      assertTrue(acked.size() >= 500, "the load actually ran");
      // 143 = 128 + SIGTERM: the JVM exits that way after its shutdown hook (coordinated shutdown)
      // ran
      assertTrue(
          exit == 0 || exit == 143, "exit code after SIGTERM: " + exit + "; log: " + node.tail());
      // graceful: a request in flight when SIGTERM came was answered (stored: 202; or refused:
      // 503),
      // never cut off; what came while the node drained was refused with 503 or found the port
      // closed
      List<Outcome> all;
      synchronized (outcomes) {
        all = List.copyOf(outcomes);
      }
      List<Outcome> inFlightCutOff =
          all.stream().filter(o -> o.sentAt() < sigtermAt && o.status() == 0).toList();
      assertEquals(List.of(), inFlightCutOff, "requests in flight at SIGTERM that got no answer");
      List<Outcome> odd =
          all.stream()
              .filter(o -> o.status() != 0 && o.status() != 202 && o.status() != 503)
              .toList();
      assertEquals(List.of(), odd, "answers other than 202 and 503 around the shutdown");
      long drained503 =
          all.stream().filter(o -> o.sentAt() >= sigtermAt && o.status() == 503).count();
      long afterUnbound =
          all.stream().filter(o -> o.sentAt() >= sigtermAt && o.status() == 0).count();
      System.out.printf(
          "SIGTERM test: after SIGTERM %d requests answered 503 while draining, %d found the node gone (%s)%n",
          drained503,
          afterUnbound,
          all.stream()
              .filter(o -> o.status() == 0)
              .map(Outcome::error)
              .map(e -> e.replaceAll("[0-9]+", "N"))
              .distinct()
              .toList());

      node.start(Duration.ofSeconds(60));

      Map<String, List<String>> stored;
      try (Connection c = pg.connect()) {
        stored = JournalContents.read(c).readingIds;
      }
      Map<String, Long> perSensor = new HashMap<>();
      Set<Acked> storedSet = new HashSet<>();
      for (Map.Entry<String, List<String>> e : stored.entrySet()) {
        for (String id : e.getValue()) {
          assertTrue(
              storedSet.add(new Acked(e.getKey(), id)), "stored twice: " + e.getKey() + "/" + id);
        }
        perSensor.put(e.getKey(), (long) e.getValue().size());
      }
      Set<Acked> lost = new HashSet<>(acked);
      lost.removeAll(storedSet);
      assertEquals(Set.of(), lost, "acknowledged readings missing from the journal");

      ApiClient api = new ApiClient(node.httpPort);
      for (Map.Entry<String, Long> e : perSensor.entrySet()) {
        long expected = e.getValue();
        api.awaitGet(
            "/sensors/" + e.getKey(),
            r -> r.status() == 200 && r.body().get("readingCount").asLong() == expected,
            Duration.ofSeconds(30));
      }
      node.terminate(Duration.ofSeconds(45));
    }
  }

  /**
   * A request sent at {@code sentAt} (System.nanoTime) and its status; 0 with {@code error} when
   * none came.
   */
  record Outcome(long sentAt, int status, String error) {}

  private static void write(
      int port,
      int writer,
      AtomicBoolean stop,
      Set<Acked> acked,
      AtomicInteger refused,
      List<Outcome> outcomes) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    int request = 0;
    while (!stop.get()) {
      request++;
      List<Acked> items = new ArrayList<>();
      StringBuilder body = new StringBuilder("[");
      for (int i = 0; i < 10; i++) {
        Acked a =
            new Acked("term-" + ((request * 10 + i) % 40), "w" + writer + "-" + request + "-" + i);
        items.add(a);
        body.append(i == 0 ? "" : ",")
            .append("{\"sensorId\":\"")
            .append(a.sensorId())
            .append("\",\"readingId\":\"")
            .append(a.readingId())
            .append("\",\"value\":")
            .append(i)
            .append('}');
      }
      body.append(']');
      long sentAt = System.nanoTime();
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/readings"))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + TestNodes.ADMIN_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        outcomes.add(new Outcome(sentAt, r.statusCode(), null));
        if (r.statusCode() == 202) {
          JsonNode json = ApiClient.JSON.readTree(r.body());
          if (json.get("rejected").size() != 0) {
            throw new AssertionError("valid items rejected: " + r.body());
          }
          acked.addAll(items);
        } else {
          refused.incrementAndGet();
        }
      } catch (java.io.IOException e) {
        outcomes.add(new Outcome(sentAt, 0, e.toString()));
        refused.incrementAndGet();
        sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        outcomes.add(new Outcome(sentAt, 0, e.toString()));
        refused.incrementAndGet();
        sleep(20);
      }
    }
  }

  private static void awaitAcked(Set<Acked> acked, int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (acked.size() < n && System.nanoTime() < deadline) {
      sleep(20);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
