package org.sensorcluster.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/**
 * The load generator's command line: the flags in {@link #usage()}, parsed into {@link
 * LoadSettings}.
 */
final class LoadCommandLine {

  private LoadCommandLine() {}

  static String usage() {
    return String.join(
        "\n",
        "usage: java -jar load-generator.jar load --url http://HOST:PORT --mode single|array|ndjson",
        "         (--rate REQ_PER_S | --reading-rate READINGS_PER_S | --find-max) [options]",
        "  --sensors N               distinct sensors, ids PREFIX0..PREFIX<N-1> (default 10000)",
        "  --readings-per-request N  readings per request (default 1 for single, 500 otherwise)",
        "  --connections N           HTTP/1.1 keep-alive connections, one thread each (default 16)",
        "  --rate R                  arrival rate in REQUESTS per second over all connections",
        "  --reading-rate R          arrival rate in READINGS per second (= --rate R / readings-per-request)",
        "  --warmup S                seconds sent but not measured (default 5)",
        "  --duration S              seconds measured (default 60)",
        "  --sensor-prefix P         sensor id prefix (default 'bench-')",
        "  --run-id ID               readingId prefix; readingIds are ID-<n> (default: random)",
        "  --timeout S               per-request reply timeout (default 30)",
        "  --record FILE             append 'sensorId<TAB>readingId' of every reading a 202 acknowledged",
        "  --json-out FILE           also append the one-line JSON result to FILE",
        "  --label NAME              name of this load shape in the JSON (default: the mode)",
        "  --token T                 sent as 'Authorization: Bearer T' on every request (default: the",
        "                            SENSORS_TOKEN environment variable): a device token whose scope is a prefix",
        "                            of --sensor-prefix, or an operator/admin token. A 401 or 403 stops the run.",
        "                            Device tokens have quotas (429 over them); to measure the node, use admin.",
        "  --find-max                step the rate up until p99 or errors break; report the last good rate",
        "    --start-rate R          first step, requests/s (or --start-reading-rate R readings/s)",
        "    --step-factor F         rate multiplier per step (default 1.5)",
        "    --max-p99 MS            p99 ack latency bound (default 500)",
        "    --max-steps N           give up growing after N steps (default 12)",
        "    --refine N              bisection steps between the last good and first bad rate (default 2)",
        "    --step-pause S          idle seconds between steps (default 5)",
        "  (with --find-max, --warmup/--duration apply to each step; defaults 3 s / 15 s)",
        "Durations are seconds ('30', '30s', '0.5') or '500ms'.");
  }

  /**
   * Parses the command line (the flags in {@link #usage()}); the token defaults to {@code
   * SENSORS_TOKEN}.
   */
  static LoadSettings parse(String[] args) {
    return parse(args, System::getenv);
  }

  /** As {@link #parse(String[])}, with the environment given (tests). */
  static LoadSettings parse(String[] args, Function<String, String> env) {
    String url = null;
    LoadSettings.Mode mode = null;
    int sensors = 10_000;
    Integer perRequest = null;
    int connections = 16;
    Double rate = null;
    Double readingRate = null;
    Duration warmup = null;
    Duration duration = null;
    String prefix = "bench-";
    String runId = UUID.randomUUID().toString().substring(0, 8);
    Duration timeout = Duration.ofSeconds(30);
    Path record = null;
    Path jsonOut = null;
    String label = null;
    boolean findMax = false;
    Double startRate = null;
    Double startReadingRate = null;
    double stepFactor = 1.5;
    Duration maxP99 = Duration.ofMillis(500);
    int maxSteps = 12;
    int refine = 2;
    Duration stepPause = Duration.ofSeconds(5);
    String token = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--find-max")) {
        findMax = true;
        continue;
      }
      if (flag.equals("--help") || flag.equals("-h")) throw new IllegalArgumentException("help");
      if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value");
      String v = args[++i];
      try {
        switch (flag) {
          case "--url" -> url = v;
          case "--mode" -> mode = LoadSettings.Mode.parse(v);
          case "--sensors" -> sensors = Integer.parseInt(v);
          case "--readings-per-request" -> perRequest = Integer.parseInt(v);
          case "--connections" -> connections = Integer.parseInt(v);
          case "--rate" -> rate = Double.parseDouble(v);
          case "--reading-rate" -> readingRate = Double.parseDouble(v);
          case "--warmup" -> warmup = DurationArg.parse(v);
          case "--duration" -> duration = DurationArg.parse(v);
          case "--sensor-prefix" -> prefix = v;
          case "--run-id" -> runId = v;
          case "--timeout" -> timeout = DurationArg.parse(v);
          case "--record" -> record = Path.of(v);
          case "--json-out" -> jsonOut = Path.of(v);
          case "--label" -> label = v;
          case "--start-rate" -> startRate = Double.parseDouble(v);
          case "--start-reading-rate" -> startReadingRate = Double.parseDouble(v);
          case "--step-factor" -> stepFactor = Double.parseDouble(v);
          case "--max-p99" -> maxP99 = Duration.ofNanos(Math.round(Double.parseDouble(v) * 1e6));
          case "--max-steps" -> maxSteps = Integer.parseInt(v);
          case "--refine" -> refine = Integer.parseInt(v);
          case "--step-pause" -> stepPause = DurationArg.parse(v);
          case "--token" -> token = v;
          default -> throw new IllegalArgumentException("unknown flag " + flag);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad value for " + flag + ": " + v);
      }
    }
    if (url == null) throw new IllegalArgumentException("--url is required");
    if (mode == null) throw new IllegalArgumentException("--mode is required");
    int r = perRequest != null ? perRequest : mode == LoadSettings.Mode.SINGLE ? 1 : 500;
    if (rate != null && readingRate != null) {
      throw new IllegalArgumentException(
          "give --rate (requests/s) or --reading-rate (readings/s), not both");
    }
    double requestsPerSecond = rate != null ? rate : readingRate != null ? readingRate / r : 0;
    MaxRateSearch.Settings search = null;
    if (findMax) {
      if (startRate != null && startReadingRate != null) {
        throw new IllegalArgumentException("give --start-rate or --start-reading-rate, not both");
      }
      double start =
          startRate != null
              ? startRate
              : startReadingRate != null ? startReadingRate / r : requestsPerSecond;
      search = new MaxRateSearch.Settings(start, stepFactor, maxP99, maxSteps, refine, stepPause);
      if (warmup == null) warmup = Duration.ofSeconds(3);
      if (duration == null) duration = Duration.ofSeconds(15);
    }
    if (warmup == null) warmup = Duration.ofSeconds(5);
    if (duration == null) duration = Duration.ofSeconds(60);
    return new LoadSettings(
        URI.create(url),
        mode,
        sensors,
        r,
        connections,
        requestsPerSecond,
        warmup,
        duration,
        prefix,
        runId,
        timeout,
        record,
        jsonOut,
        label == null ? mode.name().toLowerCase(Locale.ROOT) : label,
        search,
        ApiToken.resolve(token, env));
  }
}
