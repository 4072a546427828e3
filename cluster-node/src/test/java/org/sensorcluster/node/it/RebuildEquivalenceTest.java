package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.projections.ReadModels;
import org.sensorcluster.testing.TestPostgres;

/**
 * ADR 9 on real PostgreSQL: a read model rebuilt from the whole journal equals, row for row, the
 * generation the node built incrementally while the workload ran. The workload goes through the
 * HTTP API and covers what makes incremental folding hard: registration and threshold changes,
 * alerts raised and cleared (also inside one request, and by a threshold change), batches (JSON
 * array and NDJSON), resent batches (duplicate readingIds), late readings, readings without
 * readingId, a decommission, a sensor going silent (decided by the silence watcher and its entity)
 * and its next reading clearing that, and two node restarts in the middle (the projections resume
 * from stored offsets). Then each of the four models is rebuilt in turn; once the new generation is
 * swapped in and has applied the whole journal (the swap may come up to {@code swap-max-behind}
 * events early), every table of the retired generation (kept by {@code retired-grace = 10m}) is
 * compared with the same table of the new one (all columns as text, sorted by all columns), and the
 * dashboard answers before and after all rebuilds must be the same. A second round rebuilds every
 * model while a writer keeps ingesting (the swap happens mid-stream), then compares those
 * generations with quiet rebuilds of the final journal.
 */
class RebuildEquivalenceTest {

  /** Tables of each read model, without the {@code _g<N>} suffix. */
  static final Map<String, List<String>> MODELS = new LinkedHashMap<>();

  static {
    ReadModels.ALL.forEach(m -> MODELS.put(m.modelName(), m.baseTables()));
  }

  private static final Duration CATCH_UP = Duration.ofSeconds(30);
  private static final Duration SWAP = Duration.ofSeconds(60);
  private static final int FLEET = 120;

  private static TestPostgres pg;
  private SensorNode node;
  private ApiClient api;

  /**
   * All reading timestamps are base + something, base 4 h ago: inside retention, never in the
   * future.
   */
  private final Instant base =
      Instant.now().truncatedTo(ChronoUnit.HOURS).minus(4, ChronoUnit.HOURS);

  /**
   * Readings acknowledged as stored, summed over every 202 (exact only if no request needed a
   * retry).
   */
  private long acceptedTotal;

  private boolean retried;

  @BeforeAll
  static void createDatabase() {
    pg = TestPostgres.createDatabase("rebuild");
  }

  @AfterAll
  static void dropDatabase() {
    if (pg != null) {
      pg.drop();
    }
  }

  /**
   * One connection for all of the test's own queries (the shared server's connection slots are
   * few).
   */
  private Connection connection;

  private Connection db() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = pg.connect();
    }
    return connection;
  }

  @AfterEach
  void stopNode() throws SQLException {
    if (node != null) {
      node.stop();
      node = null;
    }
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  /**
   * Retired tables stay long enough to be compared; a generous ask timeout because the first write
   * to a sensor on a busy two-core machine can take more than the default 5 s (503s are also resent
   * below).
   */
  private Config storage() {
    return ConfigFactory.parseString(
            "sensors.projections.retired-grace = 10m\n"
                + "sensors.entity.ask-timeout = 15s\n"
                + "sensors.silence.check-interval = 200ms")
        .withFallback(TestNodes.postgres(pg));
  }

  private void startNode() {
    node = TestNodes.start(storage());
    api = new ApiClient(node.httpPort());
  }

  private void restartNode() {
    node.stop();
    node = null;
    startNode();
  }

  // ---- the test --------------------------------------------------------------------------------

  @Test
  void every_rebuilt_generation_equals_the_incrementally_built_one_row_for_row() throws Exception {
    long t0 = System.nanoTime();
    startNode();
    lap(t0, "node started");
    phaseOne();
    lap(t0, "phase 1 written");
    restartNode();
    lap(t0, "node restarted");
    phaseTwo();
    lap(t0, "phase 2 written");
    restartNode();
    lap(t0, "node restarted");
    phaseThree();
    System.out.printf("[rebuild-it] workload done after %.1f s%n", (System.nanoTime() - t0) / 1e9);

    awaitCaughtUp();
    long journalEvents = queryLong("SELECT count(*) FROM event_journal");
    System.out.printf(
        "[rebuild-it] journal: %d events, %d readings acknowledged%n",
        journalEvents, acceptedTotal);

    Map<String, Integer> activeBefore = activeGenerations();
    assertEquals(
        MODELS.keySet(), activeBefore.keySet(), "read_model_generations has one row per model");
    for (String model : MODELS.keySet()) {
      for (String table : MODELS.get(model)) {
        assertTrue(
            rowCount(table + "_g" + activeBefore.get(model)) > 0,
            table + "_g" + activeBefore.get(model) + " holds rows after the workload");
      }
    }
    assertIncrementalModelsMatchTheEntities(activeBefore);
    Map<String, JsonNode> viewsBefore = dashboardViews();

    // 1. quiet rebuilds: every model replayed from the whole journal, compared with the incremental
    // generation
    Map<String, Integer> rebuilt =
        rebuildAllAndCompare("incrementally built", activeBefore, journalEvents, true);

    Map<String, JsonNode> viewsAfter = dashboardViews();
    assertEquals(viewsBefore.keySet(), viewsAfter.keySet());
    for (String path : viewsBefore.keySet()) {
      assertEquals(
          viewsBefore.get(path),
          viewsAfter.get(path),
          "GET " + path + " answers the same after the rebuilds");
    }
    assertRebuiltModelsAreNonTrivial();

    // 2. rebuilds while ingestion goes on (the building generation chases a moving journal, the
    // swap happens
    // mid-stream, the new generation then continues incrementally), compared with quiet rebuilds
    // afterwards
    Map<String, Integer> underLoad;
    try (Writer writer = new Writer()) {
      underLoad = new LinkedHashMap<>();
      for (String model : MODELS.keySet()) {
        underLoad.put(model, rebuild(model, rebuilt.get(model)).generation);
      }
      ApiClient.sleep(300); // a few more writes after the last swap
      writer.stopAndCheck();
      System.out.printf(
          "[rebuild-it] %d requests written while the four models were rebuilt and swapped%n",
          writer.requests);
    }
    for (String model : MODELS.keySet()) {
      awaitGenerationCaughtUp(model, underLoad.get(model));
    }
    rebuildAllAndCompare(
        "rebuilt under ingestion",
        underLoad,
        queryLong("SELECT count(*) FROM event_journal"),
        false);
    System.out.printf("[rebuild-it] total %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Rebuilds every model in turn from {@code gens}; after each swap, waits until the new generation
   * has applied the whole journal (a swap may happen up to swap-max-behind events early), then
   * compares every table of the replaced generation with the new one. Fails listing every
   * difference.
   */
  private Map<String, Integer> rebuildAllAndCompare(
      String what, Map<String, Integer> gens, long journalEvents, boolean printRates)
      throws Exception {
    List<String> report = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    Map<String, Integer> rebuilt = new LinkedHashMap<>();
    for (String model : MODELS.keySet()) {
      int old = gens.get(model);
      Rebuild r = rebuild(model, old);
      double caughtUp = awaitGenerationCaughtUp(model, r.generation) + r.seconds;
      rebuilt.put(model, r.generation);
      report.add(
          String.format(
              "%-14s g%d -> g%d  %,7d events  swapped after %5.2f s (%,7.0f events/s),"
                  + " whole journal applied after %5.2f s (%,7.0f events/s)",
              model,
              old,
              r.generation,
              journalEvents,
              r.seconds,
              journalEvents / r.seconds,
              caughtUp,
              journalEvents / caughtUp));
      for (String table : MODELS.get(model)) {
        String difference = compareTables(table + "_g" + old, table + "_g" + r.generation, what);
        if (difference != null) {
          mismatches.add(difference);
        }
      }
    }
    if (printRates) {
      System.out.println(
          "[rebuild-it] replay of the whole journal (POST rebuild until read_model_generations shows the"
              + " swap / until the new generation's offsets reach every tag's head):");
      report.forEach(line -> System.out.println("[rebuild-it]   " + line));
    }
    if (!mismatches.isEmpty()) {
      fail(
          "rebuilt generations differ from the "
              + what
              + " ones:\n"
              + String.join("\n\n", mismatches));
    }
    return rebuilt;
  }

  /**
   * Ingests in the background until stopped: batches for 30 fleet sensors and rb-hot's readings
   * alternating across its max (alerts raised and cleared), stamped with the current time.
   */
  private final class Writer implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;
    private volatile int requests;

    Writer() {
      ApiClient client = new ApiClient(node.httpPort());
      thread =
          new Thread(
              () -> {
                try {
                  for (int n = 0; !stop; n++) {
                    Instant now = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
                    StringBuilder b = new StringBuilder("[");
                    for (int i = 0; i < 30; i++) {
                      if (i > 0) b.append(',');
                      b.append(item(fleet(i), "w" + n, now.plusMillis(i), fleetValue(i, 40 + n)));
                    }
                    b.append(']');
                    post(client, "/readings", b.toString());
                    post(
                        client,
                        "/sensors/rb-hot/readings",
                        reading("hw" + n, now, n % 2 == 0 ? 35 : 20));
                    requests += 2;
                    Thread.sleep(20);
                  }
                } catch (Throwable t) {
                  failure = t;
                }
              },
              "rebuild-it-writer");
      thread.setDaemon(true);
      thread.start();
    }

    /** POST, resent on 503 (every reading has a readingId); anything but 202 fails the test. */
    private void post(ApiClient client, String path, String body) throws InterruptedException {
      for (int attempt = 0; ; attempt++) {
        ApiClient.Reply r = client.postJson(path, body);
        if (r.status() == 503 && attempt < 20) {
          Thread.sleep(500);
          continue;
        }
        if (r.status() != 202) {
          throw new AssertionError(
              "ingest during the rebuild: " + r.status() + " " + r.raw().body());
        }
        return;
      }
    }

    void stopAndCheck() throws InterruptedException {
      stop = true;
      thread.join(30_000);
      if (failure != null) {
        throw new AssertionError("the background writer failed: " + failure, failure);
      }
      assertTrue(requests > 0, "the background writer wrote something");
    }

    @Override
    public void close() {
      stop = true;
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void lap(long t0, String what) {
    System.out.printf("[rebuild-it] %5.1f s  %s%n", (System.nanoTime() - t0) / 1e9, what);
  }

  // ---- workload
  // ----------------------------------------------------------------------------------

  private Instant at(long minutes) {
    return base.plus(minutes, ChronoUnit.MINUTES);
  }

  private Instant atSeconds(long seconds) {
    return base.plusSeconds(seconds);
  }

  private static String fleet(int i) {
    return String.format("rb-fleet-%03d", i);
  }

  /**
   * Fleet sensor i's value at reading index k: a saw tooth over -10..109, so max 100 is crossed now
   * and then.
   */
  private static double fleetValue(int i, int k) {
    return ((i * 7 + k * 13) % 120) - 10 + 0.25;
  }

  private void phaseOne() {
    register(
        "rb-hot",
        "{\"name\":\"Hot room\",\"type\":\"temperature\",\"unit\":\"Cel\","
            + "\"location\":{\"lat\":52.52,\"lon\":13.405},\"labels\":{\"site\":\"berlin-1\",\"floor\":\"2\"},"
            + "\"thresholds\":{\"min\":10,\"max\":30,\"hysteresis\":1}}",
        201);
    register(
        "rb-cold",
        "{\"name\":\"Cold store\",\"type\":\"temperature\",\"unit\":\"Cel\","
            + "\"labels\":{\"site\":\"berlin-1\"},\"thresholds\":{\"min\":0,\"max\":50,\"hysteresis\":0.5}}",
        201);
    register(
        "rb-humid",
        "{\"type\":\"humidity\",\"unit\":\"%\",\"labels\":{\"site\":\"hamburg\"},"
            + "\"thresholds\":{\"max\":80}}",
        201);
    register(
        "rb-retired",
        "{\"type\":\"temperature\",\"labels\":{\"site\":\"hamburg\"},\"thresholds\":{\"max\":40}}",
        201);
    // every 4th fleet sensor is registered (with thresholds); the rest are auto-registered by their
    // readings
    for (int i = 0; i < FLEET; i += 4) {
      register(
          fleet(i),
          "{\"type\":\"pressure\",\"labels\":{\"site\":\"fleet-"
              + (i % 3)
              + "\",\"row\":\""
              + (i % 5)
              + "\"},\"thresholds\":{\"min\":-5,\"max\":100,\"hysteresis\":2}}",
          201);
    }
    // re-registering replaces the metadata: 200
    register(
        fleet(0),
        "{\"type\":\"pressure\",\"name\":\"renamed\",\"labels\":{\"site\":\"fleet-0\"},"
            + "\"thresholds\":{\"min\":-5,\"max\":100,\"hysteresis\":2}}",
        200);

    // rb-hot (min 10, max 30, hysteresis 1), one request at a time, in order
    single("rb-hot", reading("h1", at(7), 20));
    single("rb-hot", reading("h2", at(14), 35)); // raise #1 above max
    single("rb-hot", reading("h3", at(21), 29.5)); // inside by 0.5 <= hysteresis: still open
    single("rb-hot", reading("h4", at(28), 28)); // clear #1
    single("rb-hot", reading("h5", at(35), 5)); // raise #2 below min
    single("rb-hot", reading("h6", at(42), 45)); // clear #2 and raise #3 in one reading
    single("rb-hot", reading("h-late", at(1), 100)); // late: stored, no alert change
    single("rb-hot", reading("h7", at(49), 25)); // clear #3
    // several readings of one sensor in one request (one event): raise #4 and clear #4
    single(
        "rb-hot",
        "["
            + reading("h8", at(56), 31)
            + ","
            + reading("h9", at(57), 32)
            + ","
            + reading("h10", at(58), 20)
            + ","
            + reading("h10b", at(58), 20.5)
            + "]"); // two readings with the same timestamp
    Reply dup = single("rb-hot", reading("h4", at(28), 28));
    assertEquals(1, dup.body().get("duplicates").asInt(), "h4 again is a duplicate");

    single("rb-humid", reading("u1", at(10), 70));
    single("rb-humid", reading("u2", at(20), 85)); // raise #1
    single("rb-retired", reading("x1", at(10), 45)); // raise #1, still open at the decommission
    single("rb-cold", reading("c1", at(10), 20));

    // JSON array batches over the fleet: 3 readings per sensor per batch, in time order
    for (int round = 0; round < 3; round++) {
      String body = fleetBatchArray(round, 0, FLEET);
      Reply r = batch("application/json", body, FLEET * 3);
      if (round == 1) {
        // the client resends the whole batch (lost reply): nothing is stored twice
        Reply again = batch("application/json", body, 0);
        assertEquals(FLEET * 3, again.body().get("duplicates").asInt(), again.raw().body());
      }
      assertTrue(r.body().get("sequenceNrs").size() > 0, r.raw().body());
    }
    // NDJSON: round 3, plus one late reading per fleet sensor into the first hour, plus one invalid
    // line
    StringBuilder nd = new StringBuilder();
    for (int i = 0; i < FLEET; i++) {
      for (int j = 0; j < 3; j++) {
        nd.append(fleetItem(i, 3, j)).append('\n');
      }
      nd.append(item(fleet(i), "late-1", atSeconds(600 + i), fleetValue(i, 99))).append('\n');
    }
    nd.append("{\"sensorId\":\"bad id\",\"value\":1}\n");
    Reply ndReply = batch("application/x-ndjson", nd.toString(), FLEET * 4);
    assertEquals(1, ndReply.body().get("rejected").size(), ndReply.raw().body());

    // threshold changes re-evaluate the last reading
    register(
        "rb-cold",
        "{\"name\":\"Cold store\",\"type\":\"temperature\",\"unit\":\"Cel\","
            + "\"labels\":{\"site\":\"berlin-1\"},\"thresholds\":{\"min\":0,\"max\":10,\"hysteresis\":0.5}}",
        200); // 20 > 10: raise
    register(
        "rb-humid",
        "{\"type\":\"humidity\",\"unit\":\"%\",\"labels\":{\"site\":\"hamburg\",\"zone\":\"b\"}}",
        200); // no thresholds: clear

    // rb-quiet is expected every second and sends once: it goes silent (SILENT alert #1)
    register("rb-quiet", "{\"type\":\"temperature\",\"expectedInterval\":\"PT1S\"}", 201);
    single("rb-quiet", reading("q1", at(5), 3));
  }

  /**
   * Waits until the read model shows rb-quiet silent (the watcher asked, the entity wrote it, it
   * was projected).
   */
  private void awaitQuietSilent() {
    api.awaitGet(
        "/sensors/rb-quiet",
        r -> r.status() == 200 && r.body().path("silent").asBoolean(),
        CATCH_UP);
  }

  private void phaseTwo() {
    awaitQuietSilent();
    single("rb-quiet", reading("q2", at(6), 4)); // ends the silence: alert #1 closed
    // after a restart: the resent phase-one batch is still recognised
    Reply again = batch("application/json", fleetBatchArray(0, 0, FLEET), 0);
    assertEquals(FLEET * 3, again.body().get("duplicates").asInt(), again.raw().body());
    // half old, half new readings
    StringBuilder mixed = new StringBuilder("[");
    for (int i = 0; i < FLEET; i++) {
      if (i > 0) mixed.append(',');
      mixed.append(fleetItem(i, 3, 2)).append(',').append(fleetItem(i, 4, 0));
    }
    mixed.append(']');
    batch("application/json", mixed.toString(), FLEET);
    for (int round = 5; round < 8; round++) {
      batch(
          round % 2 == 0 ? "application/json" : "application/x-ndjson",
          round % 2 == 0 ? fleetBatchArray(round, 0, FLEET) : fleetBatchNdjson(round, 0, FLEET),
          FLEET * 3);
    }
    // late readings into buckets that already hold readings (1-minute and 1-hour rollups must merge
    // them)
    StringBuilder late = new StringBuilder("[");
    for (int i = 0; i < FLEET; i += 3) {
      if (i > 0) late.append(',');
      late.append(item(fleet(i), "late-2", at(3 * 5 + 1), -20.0 + i))
          .append(',')
          .append(item(fleet(i), "late-3", at(60 + 2), 500.0));
    }
    late.append(']');
    batch("application/json", late.toString(), ((FLEET + 2) / 3) * 2);

    single("rb-hot", reading("h11", at(70), 22));
    single("rb-retired", reading("x2", at(20), 46));
    Reply del = delete("/sensors/rb-retired");
    assertEquals(200, del.status(), del.raw().body());
    ApiClient.Reply refused =
        api.postJson("/sensors/rb-retired/readings", reading("x3", at(30), 1));
    assertEquals(409, refused.status(), refused.raw().body());
    Reply delAgain = delete("/sensors/rb-retired");
    assertEquals(200, delAgain.status(), delAgain.raw().body());
    assertTrue(delAgain.body().get("alreadyDecommissioned").asBoolean());
    assertEquals(409, api.put("/sensors/rb-retired", "{\"type\":\"temperature\"}").status());
    // a decommissioned sensor in a batch: its items are rejected, the others stored
    ApiClient.Reply withRetired =
        api.postJson(
            "/readings",
            "["
                + item("rb-retired", "x4", at(31), 1)
                + ","
                + item("rb-cold", "c2", at(31), 15)
                + "]");
    assertEquals(202, withRetired.status(), withRetired.raw().body());
    assertEquals(1, withRetired.body().get("accepted").asInt(), withRetired.raw().body());
    assertEquals(
        1,
        withRetired.body().get("rejected").size(),
        "rb-retired's item is refused: " + withRetired.raw().body());
    acceptedTotal += 1;
  }

  private void phaseThree() {
    for (int round = 8; round < 11; round++) {
      batch("application/x-ndjson", fleetBatchNdjson(round, 0, FLEET), FLEET * 3);
    }
    // readings without readingId (cannot be de-duplicated, still stored once here)
    StringBuilder noIds = new StringBuilder("[");
    for (int i = 1; i < FLEET; i += 4) {
      if (noIds.length() > 1) noIds.append(',');
      noIds
          .append("{\"sensorId\":\"")
          .append(fleet(i))
          .append("\",\"timestamp\":\"")
          .append(at(11 * 15 + 3))
          .append("\",\"value\":")
          .append(fleetValue(i, 11))
          .append('}');
    }
    noIds.append(']');
    batch("application/json", noIds.toString(), (FLEET + 2) / 4);
    single("rb-hot", reading("h12", at(200), 40)); // raise #5, open at the end
    single("rb-cold", reading("c3", at(201), 12)); // still above 10: rb-cold's alert stays open
    awaitQuietSilent(); // silent again (alert #2), and stays so: no more readings
  }

  private String fleetItem(int i, int round, int j) {
    int k = round * 3 + j;
    // 15 minutes per round, 5 per reading, plus a per-sensor offset: ~2.8 h of history over the
    // hour buckets
    return item(fleet(i), "f" + k, atSeconds(k * 300L + i), fleetValue(i, k));
  }

  private String fleetBatchArray(int round, int from, int to) {
    StringBuilder b = new StringBuilder("[");
    for (int j = 0; j < 3; j++) {
      for (int i = from; i < to; i++) {
        if (b.length() > 1) b.append(',');
        b.append(fleetItem(i, round, j));
      }
    }
    return b.append(']').toString();
  }

  private String fleetBatchNdjson(int round, int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      for (int j = 0; j < 3; j++) {
        b.append(fleetItem(i, round, j)).append('\n');
      }
    }
    return b.toString();
  }

  private static String reading(String id, Instant ts, double value) {
    return "{\"readingId\":\"" + id + "\",\"timestamp\":\"" + ts + "\",\"value\":" + value + "}";
  }

  private static String item(String sensor, String id, Instant ts, double value) {
    return "{\"sensorId\":\""
        + sensor
        + "\",\"readingId\":\""
        + id
        + "\",\"timestamp\":\""
        + ts
        + "\",\"value\":"
        + value
        + "}";
  }

  private record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    static Reply of(ApiClient.Reply r) {
      return new Reply(r.status(), r.body(), r.raw());
    }
  }

  /** PUT, resent on 503 (the same metadata again); after a resend a 201 may come back as 200. */
  private void register(String sensor, String json, int expected) {
    for (int attempt = 0; ; attempt++) {
      ApiClient.Reply r = api.put("/sensors/" + sensor, json);
      if (r.status() == 503 && attempt < 20) {
        retried = true;
        ApiClient.sleep(500);
        continue;
      }
      if (attempt > 0 && expected == 201 && r.status() == 200) {
        return;
      }
      assertEquals(expected, r.status(), "PUT " + sensor + ": " + r.raw().body());
      return;
    }
  }

  /** One single-sensor POST, retried on 503 (same readingIds, so safe). */
  private Reply single(String sensor, String body) {
    return ingest("/sensors/" + sensor + "/readings", "application/json", body, -1);
  }

  /** One batch POST; {@code expectAccepted} >= 0 is checked unless a retry happened. */
  private Reply batch(String contentType, String body, int expectAccepted) {
    return ingest("/readings", contentType, body, expectAccepted);
  }

  private Reply ingest(String path, String contentType, String body, int expectAccepted) {
    boolean retriedHere = false;
    for (int attempt = 0; ; attempt++) {
      ApiClient.Reply r = api.post(path, contentType, body);
      if (r.status() == 503 && attempt < 20 && body.contains("readingId")) {
        retried = retriedHere = true;
        ApiClient.sleep(500);
        continue;
      }
      assertEquals(202, r.status(), "POST " + path + ": " + r.raw().body());
      acceptedTotal += r.body().get("accepted").asLong();
      if (expectAccepted >= 0 && !retriedHere) {
        assertEquals(
            expectAccepted,
            r.body().get("accepted").asInt(),
            "POST " + path + ": " + r.raw().body());
      }
      return Reply.of(r);
    }
  }

  /** DELETE, resent on 503 (decommissioning twice is a no-op). */
  private Reply delete(String path) {
    for (int attempt = 0; ; attempt++) {
      Reply r = Reply.of(api.delete(path));
      if (r.status() != 503 || attempt >= 20) {
        return r;
      }
      ApiClient.sleep(500);
    }
  }

  // ---- catching up, rebuilding
  // -------------------------------------------------------------------

  /**
   * Until GET /admin/projections lists every model with lagEvents 0 everywhere, and the committed
   * offset of every model's active generation (pekko_projection_offset_store, projection {@code
   * <model>-g<N>}, key = tag) has reached the newest event of each tag in event_tag. The admin list
   * follows the node's cached view of read_model_generations (re-read every 500 ms); the offset
   * store is checked directly as well.
   */
  private void awaitCaughtUp() throws Exception {
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    String last = "none";
    while (System.nanoTime() < deadline) {
      ApiClient.Reply r = api.get("/admin/projections");
      last = r.status() + " " + r.raw().body();
      if (r.status() == 200 && adminCaughtUp(r.body().get("projections"))) {
        Map<String, Integer> active = activeGenerations();
        boolean all = active.keySet().containsAll(MODELS.keySet());
        for (String model : MODELS.keySet()) {
          all = all && behind(model, active.get(model)).isEmpty();
        }
        if (all) {
          return;
        }
        last += " (offset store still behind)";
      }
      ApiClient.sleep(100);
    }
    fail(
        "projections did not catch up within "
            + CATCH_UP
            + "; last GET /admin/projections: "
            + last);
  }

  private boolean adminCaughtUp(JsonNode list) {
    if (list == null || !list.isArray() || list.isEmpty()) {
      return false;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (JsonNode p : list) {
      if (p.get("lagEvents").asLong() != 0) {
        return false;
      }
      seen.add(p.get("name").asText());
    }
    return seen.containsAll(MODELS.keySet());
  }

  /** Seconds until generation {@code gen} of {@code model} has applied every tag's newest event. */
  private double awaitGenerationCaughtUp(String model, int gen) throws Exception {
    long t0 = System.nanoTime();
    long deadline = t0 + CATCH_UP.toNanos();
    Map<String, String> behind = behind(model, gen);
    while (!behind.isEmpty()) {
      if (System.nanoTime() > deadline) {
        fail(
            model
                + "-g"
                + gen
                + " did not apply the whole journal within "
                + CATCH_UP
                + " after the swap; behind: "
                + behind);
      }
      ApiClient.sleep(20);
      behind = behind(model, gen);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Tags on which projection {@code <model>-g<gen>} has not reached the tag's newest event: tag ->
   * "offset/head".
   */
  private Map<String, String> behind(String model, int gen) throws SQLException {
    Map<String, String> behind = new TreeMap<>();
    {
      Connection c = db();
      Map<String, Long> offsets = new TreeMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT projection_key, current_offset"
                  + " FROM pekko_projection_offset_store WHERE projection_name = ?")) {
        ps.setString(1, model + "-g" + gen);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            offsets.put(rs.getString(1), Long.parseLong(rs.getString(2).trim()));
          }
        }
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT tag, max(event_id) FROM event_tag GROUP BY tag")) {
        while (rs.next()) {
          long offset = offsets.getOrDefault(rs.getString(1), 0L);
          if (offset < rs.getLong(2)) {
            behind.put(rs.getString(1), offset + "/" + rs.getLong(2));
          }
        }
      }
    }
    return behind;
  }

  private record Rebuild(int generation, double seconds) {}

  private Rebuild rebuild(String model, int old) throws Exception {
    long t0 = System.nanoTime();
    Reply started = Reply.of(api.postEmpty("/admin/projections/" + model + "/rebuild"));
    assertEquals(202, started.status(), "rebuild " + model + ": " + started.raw().body());
    int generation = started.body().get("generation").asInt();
    assertTrue(
        generation > old,
        "rebuild of " + model + " fills a new generation: " + started.raw().body());
    long deadline = t0 + SWAP.toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      try (PreparedStatement ps =
          db().prepareStatement(
                  "SELECT active_gen, building_gen, retired_gen"
                      + " FROM read_model_generations WHERE model = ?")) {
        ps.setString(1, model);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next(), "read_model_generations has a row for " + model);
          int active = rs.getInt(1);
          Object building = rs.getObject(2);
          state =
              "active_gen="
                  + active
                  + " building_gen="
                  + building
                  + " retired_gen="
                  + rs.getObject(3);
          if (active == generation && building == null) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(old, rs.getInt(3), model + ": the replaced generation is the retired one");
            return new Rebuild(generation, seconds);
          }
        }
      }
      ApiClient.sleep(20);
    }
    ApiClient.Reply status = api.get("/admin/projections");
    throw new AssertionError(
        "rebuild of "
            + model
            + " into g"
            + generation
            + " was not swapped in within "
            + SWAP
            + "; read_model_generations: "
            + state
            + "; GET /admin/projections: "
            + status.raw().body());
  }

  private Map<String, Integer> activeGenerations() throws SQLException {
    Map<String, Integer> active = new LinkedHashMap<>();
    try (Statement s = db().createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT model, active_gen, building_gen FROM read_model_generations ORDER BY model")) {
      while (rs.next()) {
        assertEquals(
            null,
            rs.getObject(3),
            "no rebuild runs before the test starts one: " + rs.getString(1));
        active.put(rs.getString(1), rs.getInt(2));
      }
    }
    Map<String, Integer> ordered = new LinkedHashMap<>();
    MODELS
        .keySet()
        .forEach(
            m -> {
              if (active.containsKey(m)) ordered.put(m, active.get(m));
            });
    active.keySet().forEach(m -> ordered.putIfAbsent(m, active.get(m)));
    return ordered;
  }

  // ---- comparing tables
  // --------------------------------------------------------------------------

  private List<String> columns(Connection c, String table) throws SQLException {
    List<String> cols = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.add(rs.getString(1) + " " + rs.getString(2));
        }
      }
    }
    return cols;
  }

  /**
   * Every row of the table, each column as PostgreSQL's text form (exact for floats), sorted by all
   * columns.
   */
  private List<List<String>> rows(Connection c, String table, List<String> columns)
      throws SQLException {
    String select =
        columns.stream()
            .map(col -> "\"" + col.substring(0, col.indexOf(' ')) + "\"::text")
            .collect(Collectors.joining(", "));
    String order =
        java.util.stream.IntStream.rangeClosed(1, columns.size())
            .mapToObj(Integer::toString)
            .collect(Collectors.joining(", "));
    List<List<String>> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT " + select + " FROM " + table + " ORDER BY " + order)) {
      while (rs.next()) {
        List<String> row = new ArrayList<>(columns.size());
        for (int i = 1; i <= columns.size(); i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** Null when equal, else a description of the first differences. */
  private String compareTables(String oldTable, String newTable, String what) throws SQLException {
    {
      Connection c = db();
      List<String> oldCols = columns(c, oldTable);
      List<String> newCols = columns(c, newTable);
      if (oldCols.isEmpty()) {
        return oldTable
            + " does not exist any more (retired tables must stay for retired-grace = 10m)";
      }
      if (!oldCols.equals(newCols)) {
        return "columns differ: " + oldTable + " " + oldCols + " vs " + newTable + " " + newCols;
      }
      // the same session reads both: same TimeZone, same text forms
      List<List<String>> oldRows;
      List<List<String>> newRows;
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        oldRows = rows(c, oldTable, oldCols);
        newRows = rows(c, newTable, newCols);
      } finally {
        c.rollback();
        c.setAutoCommit(true);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      }
      System.out.printf(
          "[rebuild-it]   %-22s %6d rows | %-22s %6d rows  (%s vs rebuilt)%n",
          oldTable, oldRows.size(), newTable, newRows.size(), what);
      if (oldRows.equals(newRows)) {
        assertFalse(oldRows.isEmpty(), oldTable + " holds rows");
        return null;
      }
      Set<List<String>> onlyOld = new LinkedHashSet<>(oldRows);
      newRows.forEach(onlyOld::remove);
      Set<List<String>> onlyNew = new LinkedHashSet<>(newRows);
      oldRows.forEach(onlyNew::remove);
      StringBuilder b = new StringBuilder();
      b.append(oldTable)
          .append(" (")
          .append(oldRows.size())
          .append(" rows, ")
          .append(what)
          .append(") vs ")
          .append(newTable)
          .append(" (")
          .append(newRows.size())
          .append(" rows, rebuilt) differ; columns ")
          .append(oldCols)
          .append('\n');
      b.append("  ")
          .append(onlyOld.size())
          .append(" rows only in ")
          .append(oldTable)
          .append(", first ones:\n");
      onlyOld.stream().limit(8).forEach(r -> b.append("    ").append(r).append('\n'));
      b.append("  ")
          .append(onlyNew.size())
          .append(" rows only in ")
          .append(newTable)
          .append(", first ones:\n");
      onlyNew.stream().limit(8).forEach(r -> b.append("    ").append(r).append('\n'));
      if (onlyOld.isEmpty() && onlyNew.isEmpty()) {
        b.append("  (the same rows, but different multiplicities)\n");
      }
      return b.toString();
    }
  }

  private long rowCount(String table) throws SQLException {
    return queryLong("SELECT count(*) FROM " + table);
  }

  private long queryLong(String sql) throws SQLException {
    try (Statement s = db().createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  // ---- what the read models answer
  // ---------------------------------------------------------------

  /** Every sensor id the workload touched. */
  private List<String> sensorIds() {
    List<String> ids =
        new ArrayList<>(List.of("rb-cold", "rb-hot", "rb-humid", "rb-retired", "rb-quiet"));
    for (int i = 0; i < FLEET; i++) {
      ids.add(fleet(i));
    }
    return ids;
  }

  /**
   * The incrementally built models agree with the sensors themselves (strong reads): reading counts
   * per sensor, readings rows per sensor, and the total of acknowledged readings.
   */
  private void assertIncrementalModelsMatchTheEntities(Map<String, Integer> gens)
      throws SQLException {
    Map<String, Long> rowsPerSensor = new TreeMap<>();
    try (Statement s = db().createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT sensor_id, count(*) FROM readings_g"
                    + gens.get("readings")
                    + " GROUP BY sensor_id")) {
      while (rs.next()) {
        rowsPerSensor.put(rs.getString(1), rs.getLong(2));
      }
    }
    long strongTotal = 0;
    for (String id : sensorIds()) {
      ApiClient.Reply strong = api.get("/sensors/" + id + "?consistency=strong");
      assertEquals(200, strong.status(), strong.raw().body());
      ApiClient.Reply eventual = api.get("/sensors/" + id);
      assertEquals(200, eventual.status(), eventual.raw().body());
      long count = strong.body().get("readingCount").asLong();
      strongTotal += count;
      assertEquals(
          count, eventual.body().get("readingCount").asLong(), id + ": sensor_latest readingCount");
      assertEquals(
          strong.body().get("sequenceNr").asLong(),
          eventual.body().get("sequenceNr").asLong(),
          id + ": sensor_latest has applied every event");
      assertEquals(
          strong.body().get("lastReading"),
          eventual.body().get("lastReading"),
          id + ": last reading");
      assertEquals(
          count,
          rowsPerSensor.getOrDefault(id, 0L),
          id + ": rows in readings_g" + gens.get("readings"));
    }
    if (!retried) {
      assertEquals(acceptedTotal, strongTotal, "every acknowledged reading is stored once");
    }
  }

  /**
   * Dashboard answers that depend only on the read models (no "now"): compared before and after the
   * rebuilds.
   */
  private Map<String, JsonNode> dashboardViews() {
    Map<String, JsonNode> views = new LinkedHashMap<>();
    String from = enc(base.minus(1, ChronoUnit.HOURS).toString());
    String to = enc(base.plus(4, ChronoUnit.HOURS).toString());
    for (String id :
        List.of(
            "rb-hot",
            "rb-cold",
            "rb-humid",
            "rb-retired",
            "rb-quiet",
            fleet(0),
            fleet(1),
            fleet(3),
            fleet(57))) {
      views.put("/sensors/" + id, strip(api.get("/sensors/" + id), "consistency"));
      for (String step : List.of("raw", "1m", "1h")) {
        String path =
            "/sensors/"
                + id
                + "/readings?from="
                + from
                + "&to="
                + to
                + "&step="
                + step
                + "&maxPoints=10000";
        views.put(path, ok(api.get(path)));
      }
    }
    views.putAll(pages("/sensors?limit=37"));
    views.putAll(pages("/sensors?label=site:berlin-1"));
    views.putAll(pages("/sensors?alerting=true&limit=1000"));
    views.putAll(pages("/sensors?silent=true&limit=1000"));
    views.putAll(pages("/sensors?type=pressure&label=row:3&limit=1000"));
    views.putAll(pages("/alerts?limit=1000"));
    views.putAll(pages("/alerts?state=open&limit=1000"));
    views.putAll(pages("/alerts?state=closed&limit=7"));
    JsonNode stats = ok(api.get("/stats")).deepCopy();
    ((ObjectNode) stats).remove(List.of("asOf", "readingsLastMinute", "readingsLastHour"));
    views.put("/stats", stats);
    return views;
  }

  private Map<String, JsonNode> pages(String first) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    String path = first;
    for (int page = 0; page < 100 && path != null; page++) {
      JsonNode body = ok(api.get(path));
      out.put(path, body);
      JsonNode next = body.get("nextCursor");
      path = next == null || next.isNull() ? null : first + "&cursor=" + enc(next.asText());
    }
    return out;
  }

  private static JsonNode ok(ApiClient.Reply r) {
    assertEquals(200, r.status(), r.raw().uri() + ": " + r.raw().body());
    return r.body();
  }

  private static JsonNode strip(ApiClient.Reply r, String... fields) {
    JsonNode body = ok(r).deepCopy();
    for (String f : fields) {
      ((ObjectNode) body).remove(f);
    }
    return body;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** After the rebuilds, the served (rebuilt) models hold what the workload must have produced. */
  private void assertRebuiltModelsAreNonTrivial() {
    JsonNode hotAlerts = ok(api.get("/alerts?sensorId=rb-hot&limit=1000")).get("items");
    Map<Long, String> hot = new TreeMap<>();
    for (JsonNode a : hotAlerts) {
      hot.put(
          a.get("alertNumber").asLong(), a.get("state").asText() + " " + a.get("bound").asText());
    }
    assertEquals(
        Map.of(
            1L,
            "closed ABOVE_MAX",
            2L,
            "closed BELOW_MIN",
            3L,
            "closed ABOVE_MAX",
            4L,
            "closed ABOVE_MAX",
            5L,
            "open ABOVE_MAX"),
        hot,
        "rb-hot's alerts: " + hotAlerts);

    JsonNode open = ok(api.get("/alerts?state=open&limit=1000")).get("items");
    JsonNode closed = ok(api.get("/alerts?state=closed&limit=1000")).get("items");
    assertTrue(open.size() >= 2, "open alerts: " + open);
    assertTrue(closed.size() >= 5, "closed alerts: " + closed);
    Set<String> openSensors = new LinkedHashSet<>();
    open.forEach(a -> openSensors.add(a.get("sensorId").asText()));
    assertTrue(
        openSensors.contains("rb-cold"),
        "rb-cold's alert raised by the threshold change is open: " + open);
    boolean humidCleared = false;
    for (JsonNode a : closed) {
      humidCleared |= a.get("sensorId").asText().equals("rb-humid");
    }
    assertTrue(humidCleared, "rb-humid's alert was cleared by removing the thresholds: " + closed);
    boolean fleetAlert = false;
    for (Iterator<JsonNode> it = closed.elements(); it.hasNext(); ) {
      fleetAlert |= it.next().get("sensorId").asText().startsWith("rb-fleet-");
    }
    assertTrue(fleetAlert, "batches raised and cleared fleet alerts: " + closed);

    JsonNode retired = ok(api.get("/sensors/rb-retired"));
    assertNotNull(retired.get("decommissionedAt"));
    assertFalse(
        retired.get("decommissionedAt").isNull(), "rb-retired is decommissioned: " + retired);
    JsonNode stats = ok(api.get("/stats"));
    assertEquals(1, stats.get("decommissioned").asLong(), stats.toString());
    assertEquals(FLEET + 5, stats.get("sensors").asLong(), stats.toString());
    assertEquals(1, stats.get("silent").asLong(), stats.toString());
    Map<Long, String> quiet = new TreeMap<>();
    for (JsonNode a : ok(api.get("/alerts?sensorId=rb-quiet&limit=1000")).get("items")) {
      quiet.put(
          a.get("alertNumber").asLong(), a.get("state").asText() + " " + a.get("bound").asText());
    }
    assertEquals(Map.of(1L, "closed SILENT", 2L, "open SILENT"), quiet, "rb-quiet's silences");

    JsonNode hot1h =
        ok(
            api.get(
                "/sensors/rb-hot/readings?from="
                    + enc(base.toString())
                    + "&to="
                    + enc(base.plus(4, ChronoUnit.HOURS).toString())
                    + "&step=raw&maxPoints=10000"));
    assertEquals(
        14,
        hot1h.get("points").size(),
        "rb-hot's readings (late one and equal timestamps included): " + hot1h);
  }
}
