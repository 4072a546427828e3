package org.sensorcluster.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the JSON lines of one {@code bench/run.sh} run into the one table (Markdown) and the target
 * verdicts. Lines it reads: {@code {"type":"ceiling","events_per_s":..}} (the probe), {@code
 * {"type":"load",..}} and {@code {"type":"find-max",..}} (the generator), and {@code
 * {"type":"after","label":..,"lag_events_at_end":..,"catch_up_s":..,"heap_peak_mb":..,
 * "old_peak_mb":..}} (what the script measured around each shape). Lines are matched by label.
 *
 * <p>{@code java -jar load-generator.jar report results.jsonl}
 */
public final class BenchReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchReport() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java -jar load-generator.jar report RESULTS.jsonl");
      System.exit(2);
      return;
    }
    System.out.print(render(Files.readAllLines(Path.of(args[0]))));
  }

  static String render(List<String> lines) throws IOException {
    Double ceiling = null;
    Map<String, JsonNode> loads = new LinkedHashMap<>();
    Map<String, JsonNode> after = new LinkedHashMap<>();
    List<JsonNode> searches = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank() || !line.trim().startsWith("{")) continue;
      JsonNode n = JSON.readTree(line);
      switch (n.path("type").asText()) {
        case "ceiling" -> ceiling = n.path("events_per_s").asDouble();
        case "load" -> loads.put(n.path("label").asText(), n);
        case "after" -> after.put(n.path("label").asText(), n);
        case "find-max" -> searches.add(n);
        default -> {}
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(
        ceiling == null
            ? "ceiling: not measured\n\n"
            : String.format(
                Locale.ROOT,
                "ceiling (PostgreSQL, journal-shaped rows): %.0f events/s\n\n",
                ceiling));
    out.append(
        "| shape | offered readings/s | acknowledged readings/s | ratio to ceiling | ack p50 / p99 / p99.9 / max (ms) "
            + "| statuses | errors, unsent | projection lag at end → caught up after | peak heap (used / old gen) |\n");
    out.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, JsonNode> e : loads.entrySet()) {
      JsonNode l = e.getValue();
      JsonNode a = after.get(e.getKey());
      JsonNode lat = l.path("ack_latency_ms");
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | **%s** | %s | %s / %s / %s / %s | %s | %d, %d | %s | %s |\n",
              describe(l),
              num(l.path("offered_readings_per_s")),
              num(l.path("acked_readings_per_s")),
              ceiling == null
                  ? "-"
                  : String.format(
                      Locale.ROOT, "%.2f", l.path("acked_readings_per_s").asDouble() / ceiling),
              ms(lat.path("p50")),
              ms(lat.path("p99")),
              ms(lat.path("p99_9")),
              ms(lat.path("max")),
              statuses(l.path("status_counts"))
                  + (l.path("accepted_in_non_202_in_window").asLong() > 0
                      ? " (their bodies report "
                          + num(l.path("accepted_in_non_202_in_window"))
                          + " readings stored)"
                      : ""),
              l.path("errors").path("timeouts").asLong()
                  + l.path("errors").path("io").asLong()
                  + l.path("errors").path("bad_replies").asLong(),
              l.path("unsent").asLong(),
              lag(a),
              heap(a)));
    }
    for (JsonNode s : searches) {
      out.append(
          String.format(
              Locale.ROOT,
              "\nfind-max (%s, p99 bound %s ms): max sustainable %s readings/s\n",
              s.path("label").asText(),
              num(s.path("max_p99_ms")),
              num(s.path("max_readings_per_s"))));
      for (JsonNode step : s.path("steps")) {
        out.append(
            String.format(
                Locale.ROOT,
                "  offered %s -> acknowledged %s readings/s, p99 %s ms: %s\n",
                num(step.path("offered_readings_per_s")),
                num(step.path("acked_readings_per_s")),
                ms(step.path("p99_ms")),
                step.path("verdict").asText()));
      }
    }
    out.append(targets(ceiling, loads, after));
    return out.toString();
  }

  private static String describe(JsonNode l) {
    return String.format(
        Locale.ROOT,
        "%s (%s, %d sensors, %d readings/request, %d conns, %s s)",
        l.path("label").asText(),
        l.path("mode").asText(),
        l.path("sensors").asInt(),
        l.path("readings_per_request").asInt(),
        l.path("connections").asInt(),
        num(l.path("duration_s")));
  }

  private static String targets(
      Double ceiling, Map<String, JsonNode> loads, Map<String, JsonNode> after) {
    StringBuilder t = new StringBuilder("\ntargets:\n");
    JsonNode batch = loads.get("batch");
    if (batch != null && ceiling != null) {
      double ratio = batch.path("acked_readings_per_s").asDouble() / ceiling;
      JsonNode a = after.get("batch");
      double catchUp =
          a == null || a.path("catch_up_s").isNull() ? Double.NaN : a.path("catch_up_s").asDouble();
      boolean ok = ratio >= 0.5 && clean(batch) && catchUp <= 2.0;
      t.append(
          String.format(
              Locale.ROOT,
              "  1. batch >= 50%% of ceiling, no errors, read models caught up <= 2 s: %.0f%% of ceiling, %d non-202,"
                  + " caught up after %s s -> %s\n",
              ratio * 100,
              batch.path("non_202").asLong(),
              Double.isNaN(catchUp) ? "?" : String.format(Locale.ROOT, "%.1f", catchUp),
              ok ? "MET" : "MISSED"));
    }
    JsonNode single = loads.get("single");
    if (single != null) {
      double acked = single.path("acked_readings_per_s").asDouble();
      t.append(
          String.format(
              Locale.ROOT,
              "  2. single POSTs >= 10,000 acknowledged readings/s: %.0f -> %s\n",
              acked,
              acked >= 10_000 && clean(single) ? "MET" : "MISSED"));
    }
    JsonNode half = loads.get("half-max");
    if (half != null) {
      double p99 = half.path("ack_latency_ms").path("p99").asDouble(Double.NaN);
      t.append(
          String.format(
              Locale.ROOT,
              "  3. p99 <= 50 ms at half the max sustainable batch rate (%s readings/s): p99 %s ms -> %s\n",
              num(half.path("offered_readings_per_s")),
              ms(half.path("ack_latency_ms").path("p99")),
              p99 <= 50 && clean(half) ? "MET" : "MISSED"));
    }
    return t.toString();
  }

  /** Every request answered, all 202, the offered rate actually sent. */
  private static boolean clean(JsonNode l) {
    return l.path("non_202").asLong() == 0
        && l.path("unsent").asLong() == 0
        && l.path("errors").path("timeouts").asLong() + l.path("errors").path("io").asLong() == 0;
  }

  private static String lag(JsonNode a) {
    if (a == null) return "-";
    String caught =
        a.path("catch_up_s").isNumber()
            ? String.format(Locale.ROOT, "%.1f s", a.path("catch_up_s").asDouble())
            : "not within " + num(a.path("catch_up_limit_s")) + " s";
    return num(a.path("lag_events_at_end")) + " events → " + caught;
  }

  private static String heap(JsonNode a) {
    if (a == null || !a.path("heap_peak_mb").isNumber()) return "-";
    return num(a.path("heap_peak_mb")) + " / " + num(a.path("old_peak_mb")) + " MB";
  }

  private static String statuses(JsonNode counts) {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, JsonNode> e : counts.properties()) {
      if (s.length() > 0) s.append(", ");
      s.append(e.getKey()).append(": ").append(e.getValue().asLong());
    }
    return s.length() == 0 ? "none" : s.toString();
  }

  private static String ms(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.1f", n.asDouble()) : "-";
  }

  private static String num(JsonNode n) {
    if (!n.isNumber()) return n.isMissingNode() || n.isNull() ? "-" : n.asText();
    double d = n.asDouble();
    return d == Math.rint(d) && Math.abs(d) < 1e15
        ? String.format(Locale.ROOT, "%,d", (long) d)
        : String.format(Locale.ROOT, "%,.1f", d);
  }
}
