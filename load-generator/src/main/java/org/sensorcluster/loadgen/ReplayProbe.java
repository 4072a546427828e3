package org.sensorcluster.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replay throughput of the read models (ADR 9), against a running node and its PostgreSQL:
 *
 * <ul>
 *   <li>{@code fill}: registers every {@code --alert-every}-th sensor with thresholds, then sends
 *       {@code --events} readings as JSON-array batches of {@code --per-request} readings for as
 *       many distinct sensors (so every reading is a ReadingsRecorded event of its own, and the
 *       saw-tooth values raise and clear alerts on the registered sensors), closed loop over {@code
 *       --connections} connections; timestamps spread over the last {@code --hours} hours. 503s are
 *       resent with the same readingIds (safe).
 *   <li>{@code rebuild}: waits until every projection is caught up, counts the journal, then for
 *       each model of {@code --models} in turn POSTs {@code
 *       /api/v1/admin/projections/<model>/rebuild} and follows it until {@code
 *       read_model_generations} shows the new generation active ({@code building_gen} empty) and
 *       the new generation's committed offsets ({@code pekko_projection_offset_store}, projection
 *       {@code <model>-g<N>}) have reached every tag's newest event: journal events / seconds until
 *       then is the replay rate (the swap itself may come a little earlier, {@code
 *       swap-max-behind}). Also samples the node's own {@code eventsPerSecond} of the rebuilding
 *       projections.
 * </ul>
 *
 * Prints a Markdown table and one JSON line per model ({@code --json-out FILE} appends them too).
 *
 * <p>Every request carries {@code Authorization: Bearer <token>} ({@code --token}, default the
 * {@code SENSORS_TOKEN} environment variable): {@code fill} registers sensors (an operator token),
 * {@code rebuild} uses {@code /api/v1/admin} (an admin token). A 401 or 403 stops the probe.
 *
 * <pre>
 * java -cp load-generator.jar org.sensorcluster.loadgen.ReplayProbe fill --url http://127.0.0.1:8080 --events 200000
 * java -cp load-generator.jar org.sensorcluster.loadgen.ReplayProbe rebuild --url http://127.0.0.1:8080 \
 *     --jdbc jdbc:postgresql://127.0.0.1:5432/sensors --user postgres
 * </pre>
 */
public final class ReplayProbe {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String url;
  private final String token;

  ReplayProbe(String url, String token) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token;
  }

  private static String usage() {
    return String.join(
        "\n",
        "usage: ReplayProbe fill --url URL [--events N] [--sensors N] [--per-request N] [--connections N]",
        "                        [--hours H] [--alert-every N] [--prefix P]",
        "       ReplayProbe rebuild --url URL --jdbc JDBC_URL [--user U] [--password P] [--models a,b,..]",
        "                        [--catch-up-timeout S] [--swap-timeout S] [--json-out FILE]",
        "  fill defaults: 200000 events, 2000 sensors, 500 per request (distinct sensors), 4 connections,",
        "  3 hours of history, every 20th sensor registered with thresholds, prefix 'rp-'",
        "  rebuild defaults: all models the node serves (its read_model_generations rows, in the order of its",
        "  /admin/projections), 600 s / 1800 s timeouts",
        "  both: --token T (default: $SENSORS_TOKEN), sent as 'Authorization: Bearer T' on every request;",
        "  fill needs an operator or admin token (it registers sensors), rebuild an admin token");
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("-")) {
      System.err.println(usage());
      System.exit(2);
    }
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println("bad argument " + args[i] + "\n" + usage());
        System.exit(2);
      }
      o.put(args[i].substring(2), args[++i]);
    }
    ReplayProbe probe =
        new ReplayProbe(
            o.getOrDefault("url", "http://127.0.0.1:8080"),
            ApiToken.resolve(o.get("token"), System::getenv));
    try {
      probe.run(args[0], o);
    } catch (ApiToken.Rejected e) {
      System.err.println("replay probe " + e.getMessage());
      System.exit(1);
    }
  }

  private void run(String mode, Map<String, String> o) throws Exception {
    ReplayProbe probe = this;
    switch (mode) {
      case "fill" ->
          probe.fill(
              Long.parseLong(o.getOrDefault("events", "200000")),
              Integer.parseInt(o.getOrDefault("sensors", "2000")),
              Integer.parseInt(o.getOrDefault("per-request", "500")),
              Integer.parseInt(o.getOrDefault("connections", "4")),
              Double.parseDouble(o.getOrDefault("hours", "3")),
              Integer.parseInt(o.getOrDefault("alert-every", "20")),
              o.getOrDefault("prefix", "rp-"));
      case "rebuild" -> {
        String jdbc = o.get("jdbc");
        if (jdbc == null) {
          System.err.println("rebuild needs --jdbc\n" + usage());
          System.exit(2);
        }
        List<String> models = o.containsKey("models") ? List.of(o.get("models").split(",")) : null;
        try (Connection c =
            DriverManager.getConnection(
                jdbc, o.getOrDefault("user", "postgres"), o.getOrDefault("password", ""))) {
          probe.rebuild(
              c,
              models,
              Duration.ofSeconds(Long.parseLong(o.getOrDefault("catch-up-timeout", "600"))),
              Duration.ofSeconds(Long.parseLong(o.getOrDefault("swap-timeout", "1800"))),
              o.get("json-out"));
        }
      }
      default -> {
        System.err.println("unknown mode " + mode + "\n" + usage());
        System.exit(2);
      }
    }
  }

  // ---- fill ------------------------------------------------------------------------------------

  void fill(
      long events,
      int sensors,
      int perRequest,
      int connections,
      double hours,
      int alertEvery,
      String prefix)
      throws Exception {
    if (perRequest > sensors) {
      throw new IllegalArgumentException(
          "--per-request must be <= --sensors (one reading per sensor per request)");
    }
    long t0 = System.nanoTime();
    int registered = 0;
    for (int s = 0; s < sensors; s += alertEvery) {
      HttpResponse<String> r =
          send(
              request("/api/v1/sensors/" + prefix + s)
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .PUT(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"type\":\"temperature\",\"unit\":\"Cel\",\"labels\":{\"site\":\"site-"
                              + (s % 4)
                              + "\"},\"thresholds\":{\"min\":0,\"max\":100,\"hysteresis\":2}}"))
                  .build());
      if (r.statusCode() != 200 && r.statusCode() != 201) {
        throw new IllegalStateException(
            "PUT sensor " + prefix + s + ": " + r.statusCode() + " " + r.body());
      }
      registered++;
    }
    long perSensor = (events + sensors - 1) / sensors;
    Instant start =
        Instant.now()
            .minus((long) (hours * 3600), ChronoUnit.SECONDS)
            .truncatedTo(ChronoUnit.SECONDS);
    long stepMillis = Math.max(1, (long) (hours * 3_600_000) / (perSensor + 1));
    long requests = (events + perRequest - 1) / perRequest;
    AtomicLong next = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    AtomicLong retries = new AtomicLong();
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      workers.add(
          pool.submit(
              () -> {
                long q;
                while ((q = next.getAndIncrement()) < requests) {
                  StringBuilder b = new StringBuilder(perRequest * 90).append('[');
                  long first = q * perRequest;
                  long last = Math.min(events, first + perRequest);
                  for (long n = first; n < last; n++) {
                    long s = n % sensors;
                    long k = n / sensors;
                    if (n > first) b.append(',');
                    double value = ((s * 7 + k * 13) % 120) - 10 + 0.5;
                    b.append("{\"sensorId\":\"")
                        .append(prefix)
                        .append(s)
                        .append("\",\"readingId\":\"r")
                        .append(k)
                        .append("\",\"timestamp\":\"")
                        .append(start.plusMillis(k * stepMillis + s % 1000))
                        .append("\",\"value\":")
                        .append(value)
                        .append('}');
                  }
                  String body = b.append(']').toString();
                  for (int attempt = 0; ; attempt++) {
                    HttpResponse<String> r;
                    try {
                      r =
                          send(
                              request("/api/v1/readings")
                                  .timeout(Duration.ofSeconds(60))
                                  .header("Content-Type", "application/json")
                                  .POST(HttpRequest.BodyPublishers.ofString(body))
                                  .build());
                    } catch (IOException e) {
                      if (attempt >= 50) {
                        throw e;
                      }
                      retries.incrementAndGet(); // same readingIds: resending is safe
                      Thread.sleep(1000);
                      continue;
                    }
                    if (r.statusCode() == 202) {
                      JsonNode reply = JSON.readTree(r.body());
                      accepted.addAndGet(reply.path("accepted").asLong());
                      duplicates.addAndGet(reply.path("duplicates").asLong());
                      break;
                    }
                    if ((r.statusCode() == 503 || r.statusCode() == 429) && attempt < 50) {
                      retries.incrementAndGet();
                      Thread.sleep(1000);
                      continue;
                    }
                    throw new IllegalStateException(
                        "POST /api/v1/readings: " + r.statusCode() + " " + r.body());
                  }
                  done.incrementAndGet();
                }
                return null;
              }));
    }
    pool.shutdown();
    long lastPrint = System.nanoTime();
    while (!pool.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) {
      if (System.nanoTime() - lastPrint > 10_000_000_000L) {
        lastPrint = System.nanoTime();
        double secs = (lastPrint - t0) / 1e9;
        System.err.printf(
            Locale.ROOT,
            "  fill: %,d / %,d requests, %,d readings stored, %,.0f readings/s, %d retries%n",
            done.get(),
            requests,
            accepted.get(),
            accepted.get() / secs,
            retries.get());
      }
    }
    for (Future<?> w : workers) {
      try {
        w.get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof ApiToken.Rejected r) {
          throw r;
        }
        throw e;
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "{\"figure\":\"fill\",\"sensors\":%d,\"registeredWithThresholds\":%d,\"requests\":%d,"
            + "\"readingsStored\":%d,\"duplicates\":%d,\"retries\":%d,\"seconds\":%.1f,\"readingsPerSecond\":%.0f}%n",
        sensors,
        registered,
        requests,
        accepted.get(),
        duplicates.get(),
        retries.get(),
        secs,
        accepted.get() / secs);
  }

  // ---- rebuild ---------------------------------------------------------------------------------

  private record Row(
      String model,
      int fromGen,
      int toGen,
      long journalEvents,
      double appliedSeconds,
      double swapSeconds,
      double nodeMeanEventsPerSecond,
      double nodePeakEventsPerSecond) {
    /**
     * Replay rate: the whole journal over the time until the new generation had applied all of it.
     */
    double eventsPerSecond() {
      return journalEvents / appliedSeconds;
    }

    String json() {
      return String.format(
          Locale.ROOT,
          "{\"figure\":\"replay\",\"model\":\"%s\",\"fromGeneration\":%d,"
              + "\"toGeneration\":%d,\"journalEvents\":%d,\"appliedSeconds\":%.2f,\"swapSeconds\":%.2f,"
              + "\"eventsPerSecond\":%.0f,\"nodeMeanEventsPerSecond\":%.0f,\"nodePeakEventsPerSecond\":%.0f}",
          model,
          fromGen,
          toGen,
          journalEvents,
          appliedSeconds,
          swapSeconds,
          eventsPerSecond(),
          nodeMeanEventsPerSecond,
          nodePeakEventsPerSecond);
    }
  }

  /** Rebuilds {@code models} one after the other; null means every model the node serves. */
  void rebuild(
      Connection c,
      List<String> models,
      Duration catchUpTimeout,
      Duration swapTimeout,
      String jsonOut)
      throws Exception {
    double catchUp = awaitCaughtUp(c, catchUpTimeout);
    if (models == null) {
      models = servedModels;
    }
    System.err.printf(
        Locale.ROOT, "  read models caught up %.1f s after the probe started waiting%n", catchUp);
    long journalEvents = queryLong(c, "SELECT count(*) FROM event_journal");
    Map<String, Long> byType = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT event_ser_manifest, count(*) FROM event_journal GROUP BY 1 ORDER BY 2 DESC")) {
      while (rs.next()) {
        String m = rs.getString(1);
        byType.put(m == null ? "?" : m.substring(m.lastIndexOf('.') + 1), rs.getLong(2));
      }
    } catch (SQLException e) {
      byType.put("(by type unavailable: " + e.getMessage() + ")", 0L);
    }
    System.err.println(
        "  journal: " + String.format(Locale.ROOT, "%,d", journalEvents) + " events " + byType);
    List<Row> rows = new ArrayList<>();
    for (String model : models) {
      rows.add(rebuildOne(c, model.trim(), journalEvents, swapTimeout));
      System.out.println(rows.get(rows.size() - 1).json());
      if (jsonOut != null) {
        java.nio.file.Files.writeString(
            java.nio.file.Path.of(jsonOut),
            rows.get(rows.size() - 1).json() + "\n",
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      }
    }
    System.out.println();
    System.out.println(
        "journal: " + String.format(Locale.ROOT, "%,d", journalEvents) + " events " + byType);
    System.out.println();
    System.out.println(
        "| read model | generation | journal events | whole journal applied after (s) | swapped in after (s) | replay events/s | node-reported events/s, mean / peak |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %s | g%d → g%d | %,d | %.1f | %.1f | **%,.0f** | %,.0f / %,.0f |%n",
          r.model(),
          r.fromGen(),
          r.toGen(),
          r.journalEvents(),
          r.appliedSeconds(),
          r.swapSeconds(),
          r.eventsPerSecond(),
          r.nodeMeanEventsPerSecond(),
          r.nodePeakEventsPerSecond());
    }
  }

  /**
   * Every model the node serves, in the order its admin status lists them (set by {@link
   * #awaitCaughtUp}).
   */
  private List<String> servedModels = List.of();

  /**
   * Seconds until every listed projection has lagEvents 0, every model of {@code
   * read_model_generations} is listed, and the active generation of each has committed offsets up
   * to every tag's newest event.
   */
  private double awaitCaughtUp(Connection c, Duration timeout) throws Exception {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get("/api/v1/admin/projections");
      last = r.statusCode() + " " + abbreviate(r.body());
      if (r.statusCode() == 200) {
        JsonNode list = JSON.readTree(r.body()).path("projections");
        boolean ok = list.size() > 0;
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        for (JsonNode p : list) {
          seen.add(p.path("name").asText());
          ok &= p.path("lagEvents").asLong() == 0;
        }
        List<String> all = modelsOf(c);
        if (ok && seen.containsAll(all)) {
          servedModels = List.copyOf(seen);
          for (String model : all) {
            ok &= caughtUp(c, model + "-g" + generation(c, model)[0]);
          }
          if (ok) {
            return (System.nanoTime() - t0) / 1e9;
          }
          last = "offsets of the active generations still behind the journal";
        }
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "read models not caught up within " + timeout + "; last: " + last);
  }

  private Row rebuildOne(Connection c, String model, long journalEvents, Duration timeout)
      throws Exception {
    int from = generation(c, model)[0];
    long t0 = System.nanoTime();
    HttpResponse<String> started =
        send(
            request("/api/v1/admin/projections/" + model + "/rebuild")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    if (started.statusCode() != 202) {
      throw new IllegalStateException(
          "rebuild " + model + ": " + started.statusCode() + " " + started.body());
    }
    int gen = JSON.readTree(started.body()).path("generation").asInt();
    System.err.printf(Locale.ROOT, "  rebuilding %s: g%d -> g%d%n", model, from, gen);
    double applied = -1;
    double swapped = -1;
    double sum = 0;
    int samples = 0;
    double peak = 0;
    long lastPrint = t0;
    long deadline = t0 + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      double now = (System.nanoTime() - t0) / 1e9;
      if (swapped < 0) {
        int[] g = generation(c, model);
        if (g[0] == gen && g[1] == 0) {
          swapped = now;
        }
      }
      if (applied < 0 && caughtUp(c, model + "-g" + gen)) {
        applied = now;
      }
      if (swapped >= 0 && applied >= 0) {
        return new Row(
            model,
            from,
            gen,
            journalEvents,
            applied,
            swapped,
            samples == 0 ? 0 : sum / samples,
            peak);
      }
      HttpResponse<String> r = get("/api/v1/admin/projections");
      if (r.statusCode() == 200 && applied < 0) {
        double rate = 0;
        long behind = 0;
        int building = 0;
        for (JsonNode p : JSON.readTree(r.body()).path("projections")) {
          if (p.path("name").asText().equals(model) && p.path("generation").asInt() == gen) {
            building++;
            rate += p.path("eventsPerSecond").asDouble();
            behind += p.path("lagEvents").asLong();
          }
        }
        if (building > 0) {
          sum += rate;
          samples++;
          peak = Math.max(peak, rate);
        }
        if (System.nanoTime() - lastPrint > 5_000_000_000L) {
          lastPrint = System.nanoTime();
          System.err.printf(
              Locale.ROOT,
              "    %5.0f s  %,d events behind  %,.0f events/s (node)%n",
              now,
              behind,
              rate);
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "rebuild of "
            + model
            + " into g"
            + gen
            + " not swapped in and caught up within "
            + timeout);
  }

  /**
   * Whether projection {@code name} (one per model generation, keyed by tag) has committed, on
   * every tag, an offset at least the newest event of that tag: it has applied the whole journal.
   */
  private static boolean caughtUp(Connection c, String name) throws SQLException {
    Map<String, Long> offsets = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT projection_key, current_offset FROM pekko_projection_offset_store WHERE projection_name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          offsets.put(rs.getString(1), Long.parseLong(rs.getString(2).trim()));
        }
      }
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT tag, max(event_id) FROM event_tag GROUP BY tag")) {
      while (rs.next()) {
        if (offsets.getOrDefault(rs.getString(1), 0L) < rs.getLong(2)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The models in {@code read_model_generations}: the node writes a row for each before it serves
   * any.
   */
  private static List<String> modelsOf(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT model FROM read_model_generations")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** {active_gen, building_gen or 0}. */
  private static int[] generation(Connection c, String model) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT active_gen, building_gen FROM read_model_generations WHERE model = ?")) {
      ps.setString(1, model);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no row for " + model + " in read_model_generations");
        }
        return new int[] {rs.getInt(1), rs.getInt(2)};
      }
    }
  }

  private static long queryLong(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * A GET, retried on transport errors (a loaded node or machine may refuse a connection now and
   * then).
   */
  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return send(request(path).timeout(Duration.ofSeconds(30)).GET().build());
      } catch (IOException e) {
        if (attempt >= 10) {
          throw e;
        }
        System.err.println("  GET " + path + " failed (" + e + "), retrying");
        Thread.sleep(1000);
      }
    }
  }

  /** A request to {@code path} with the token, if any. */
  private HttpRequest.Builder request(String path) {
    return ApiToken.request(url, path, token);
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return ApiToken.send(http, request, token);
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
