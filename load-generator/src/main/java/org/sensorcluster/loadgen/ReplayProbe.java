package org.sensorcluster.loadgen;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  private final NodeHttp node;

  ReplayProbe(String url, String token) {
    this.node = new NodeHttp(url, token, Duration.ofSeconds(10));
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

  /** {@code fill}: see {@link ReplayFill}. */
  void fill(
      long events,
      int sensors,
      int perRequest,
      int connections,
      double hours,
      int alertEvery,
      String prefix)
      throws Exception {
    new ReplayFill(node).run(events, sensors, perRequest, connections, hours, alertEvery, prefix);
  }

  /**
   * {@code rebuild}: see {@link ReplayRebuild}; {@code models} null means every model the node
   * serves.
   */
  void rebuild(
      Connection c,
      List<String> models,
      Duration catchUpTimeout,
      Duration swapTimeout,
      String jsonOut)
      throws Exception {
    new ReplayRebuild(node).run(c, models, catchUpTimeout, swapTimeout, jsonOut);
  }
}
