package org.sensorcluster.loadgen;

import static org.sensorcluster.loadgen.ReplayDatabase.caughtUp;
import static org.sensorcluster.loadgen.ReplayDatabase.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ReplayProbe rebuild}: waits until every projection is caught up, then rebuilds each model
 * in turn and measures how fast its new generation replays the whole journal, then all of them at
 * once ({@link ReplayTogether}; see {@link ReplayProbe}).
 */
final class ReplayRebuild {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeHttp node;

  ReplayRebuild(NodeHttp node) {
    this.node = node;
  }

  /**
   * When the read models were caught up, and every model the node serves, in the order its admin
   * status lists them.
   */
  private record CaughtUp(double seconds, List<String> servedModels) {}

  /** Rebuilds {@code models} one after the other; null means every model the node serves. */
  void run(
      Connection c,
      List<String> models,
      Duration catchUpTimeout,
      Duration swapTimeout,
      String jsonOut)
      throws Exception {
    CaughtUp caughtUp = awaitCaughtUp(c, catchUpTimeout);
    double catchUp = caughtUp.seconds();
    if (models == null) {
      models = caughtUp.servedModels();
    }
    System.err.printf(
        Locale.ROOT, "  read models caught up %.1f s after the probe started waiting%n", catchUp);
    long journalEvents = ReplayDatabase.queryLong(c, "SELECT count(*) FROM event_journal");
    Map<String, Long> byType = ReplayDatabase.eventsByType(c);
    System.err.println(
        "  journal: " + String.format(Locale.ROOT, "%,d", journalEvents) + " events " + byType);
    List<ReplayRow> rows = new ArrayList<>();
    for (int i = 0; i <= models.size(); i++) {
      if (i < models.size()) {
        rows.add(rebuildOne(c, models.get(i).trim(), journalEvents, swapTimeout));
      } else if (models.size() > 1) { // then all of them at once: one pass over the journal
        rows.add(ReplayTogether.run(node, c, models, journalEvents, swapTimeout));
      } else {
        break;
      }
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
    for (ReplayRow r : rows) {
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
   * Seconds until every listed projection has lagEvents 0, every model of {@code
   * read_model_generations} is listed, and the active generation of each has committed offsets up
   * to every tag's newest event.
   */
  private CaughtUp awaitCaughtUp(Connection c, Duration timeout) throws Exception {
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
        List<String> all = ReplayDatabase.modelsOf(c);
        if (ok && seen.containsAll(all)) {
          List<String> servedModels = List.copyOf(seen);
          for (String model : all) {
            ok &= caughtUp(c, model + "-g" + generation(c, model)[0]);
          }
          if (ok) {
            return new CaughtUp((System.nanoTime() - t0) / 1e9, servedModels);
          }
          last = "offsets of the active generations still behind the journal";
        }
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "read models not caught up within " + timeout + "; last: " + last);
  }

  private ReplayRow rebuildOne(Connection c, String model, long journalEvents, Duration timeout)
      throws Exception {
    int from = generation(c, model)[0];
    long t0 = System.nanoTime();
    HttpResponse<String> started =
        node.send(
            node.request("/api/v1/admin/projections/" + model + "/rebuild")
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
        return new ReplayRow(
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
   * A GET, retried on transport errors (a loaded node or machine may refuse a connection now and
   * then).
   */
  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return node.send(node.request(path).timeout(Duration.ofSeconds(30)).GET().build());
      } catch (IOException e) {
        if (attempt >= 10) {
          throw e;
        }
        System.err.println("  GET " + path + " failed (" + e + "), retrying");
        Thread.sleep(1000);
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
