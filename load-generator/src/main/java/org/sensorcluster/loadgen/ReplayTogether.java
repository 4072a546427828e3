package org.sensorcluster.loadgen;

import static org.sensorcluster.loadgen.ReplayDatabase.caughtUp;
import static org.sensorcluster.loadgen.ReplayDatabase.generation;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ReplayProbe rebuild}'s last row: every model rebuilt at once (one rebuild POST each, back
 * to back), timed until every new generation has applied the whole journal and is swapped in. With
 * the shared reader (ADR 23) that is one pass over the journal for all of them.
 */
final class ReplayTogether {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReplayTogether() {}

  static ReplayRow run(
      NodeHttp node, Connection c, List<String> models, long journalEvents, Duration timeout)
      throws Exception {
    long t0 = System.nanoTime();
    Map<String, Integer> gens = new LinkedHashMap<>();
    for (String model : models) {
      HttpResponse<String> started =
          node.send(
              node.request("/api/v1/admin/projections/" + model.trim() + "/rebuild")
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build());
      if (started.statusCode() != 202) {
        throw new IllegalStateException(
            "rebuild " + model + ": " + started.statusCode() + " " + started.body());
      }
      gens.put(model.trim(), JSON.readTree(started.body()).path("generation").asInt());
    }
    System.err.println("  rebuilding all at once: " + gens);
    double applied = -1;
    double swapped = -1;
    long deadline = t0 + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      double now = (System.nanoTime() - t0) / 1e9;
      boolean allApplied = true;
      boolean allSwapped = true;
      for (Map.Entry<String, Integer> e : gens.entrySet()) {
        allApplied &= caughtUp(c, e.getKey() + "-g" + e.getValue());
        int[] g = generation(c, e.getKey());
        allSwapped &= g[0] == e.getValue() && g[1] == 0;
      }
      if (applied < 0 && allApplied) {
        applied = now;
      }
      if (swapped < 0 && allSwapped) {
        swapped = now;
      }
      if (applied >= 0 && swapped >= 0) {
        System.err.printf(
            Locale.ROOT, "  all applied after %.1f s, swapped after %.1f s%n", applied, swapped);
        return new ReplayRow("all-together", 0, 0, journalEvents, applied, swapped, 0, 0);
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("rebuild of all models at once not done within " + timeout);
  }
}
