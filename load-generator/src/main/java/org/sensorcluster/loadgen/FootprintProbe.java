package org.sensorcluster.loadgen;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory and recovery figures of a running node (issue 5, targets 5 and 6):
 *
 * <ul>
 *   <li>{@code active --sensors N}: one reading to each of N distinct sensors, then heap used after
 *       a full GC minus the baseline, per active sensor;
 *   <li>{@code churn --sensors N --rate R --sample S}: N distinct sensors at R sensors/s while the
 *       node passivates idle ones; heap after full GC every S seconds (it must not grow);
 *   <li>{@code recovery --events N}: N events for one sensor, wait for its passivation, then one
 *       strongly consistent read: the node's {@code sensors_entity_recovery_seconds} says how long
 *       the recovery took.
 * </ul>
 *
 * Heap is read with {@code jcmd <pid> GC.run} and {@code GC.heap_info}, so the node must run on
 * this machine. Prints one JSON line per figure.
 *
 * <p>Every request carries {@code Authorization: Bearer <token>} ({@code --token}, default the
 * {@code SENSORS_TOKEN} environment variable): the readings need a device token for the prefixes
 * {@code fp-} (or an operator/admin token), the strongly consistent read a reader token or more; an
 * admin token does all. A 401 or 403 stops the probe.
 *
 * <pre>
 * java -cp load-generator.jar org.sensorcluster.loadgen.FootprintProbe active --url http://127.0.0.1:8080 --pid 1234 --sensors 100000
 * </pre>
 */
public final class FootprintProbe {

  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String url;
  private final long pid;
  private final String token;

  FootprintProbe(String url, long pid, String token) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.pid = pid;
    this.token = token;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println(
          "usage: FootprintProbe active|churn|recovery --url URL --pid PID [--sensors N]"
              + " [--rate R] [--sample SECONDS] [--events N] [--passivate-wait SECONDS] [--token T (default: $SENSORS_TOKEN)]");
      System.exit(2);
    }
    String mode = args[0];
    String url = "http://127.0.0.1:8080";
    long pid = -1;
    long sensors = 100_000;
    int rate = 5_000;
    int sampleSeconds = 15;
    int events = 10_000;
    int passivateWait = 15;
    String token = null;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--url" -> url = args[i + 1];
        case "--pid" -> pid = Long.parseLong(args[i + 1]);
        case "--sensors" -> sensors = Long.parseLong(args[i + 1]);
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--sample" -> sampleSeconds = Integer.parseInt(args[i + 1]);
        case "--events" -> events = Integer.parseInt(args[i + 1]);
        case "--passivate-wait" -> passivateWait = Integer.parseInt(args[i + 1]);
        case "--token" -> token = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    FootprintProbe probe = new FootprintProbe(url, pid, ApiToken.resolve(token, System::getenv));
    try {
      switch (mode) {
        case "active" -> probe.active(sensors);
        case "churn" -> probe.churn(sensors, rate, sampleSeconds);
        case "recovery" -> probe.recovery(events, passivateWait);
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
    } catch (ApiToken.Rejected e) {
      System.err.println("footprint probe " + e.getMessage());
      System.exit(1);
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof ApiToken.Rejected r) {
        System.err.println("footprint probe " + r.getMessage());
        System.exit(1);
      }
      throw e;
    }
  }

  // ---- heap -----------------------------------------------------------------------------------

  /** Heap used after a full GC, in bytes (two GCs: the first may only promote). */
  long heapAfterGc() throws IOException, InterruptedException {
    if (pid <= 0) {
      throw new IllegalStateException("--pid of the node is needed to read its heap");
    }
    jcmd("GC.run");
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("cannot read heap usage from: " + info);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  // ---- modes ----------------------------------------------------------------------------------

  void active(long sensors) throws Exception {
    long baseline = heapAfterGc();
    long t0 = System.nanoTime();
    sendDistinct("fp-active-", 0, sensors, Integer.MAX_VALUE);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long after = heapAfterGc();
    double entities = metric("sensors_sharding_entities");
    System.out.printf(
        "{\"figure\":\"active-sensors\",\"sensors\":%d,\"entitiesInMemory\":%.0f,\"baselineHeapBytes\":%d,"
            + "\"heapAfterBytes\":%d,\"bytesPerActiveSensor\":%.0f,\"sendSeconds\":%.1f}%n",
        sensors, entities, baseline, after, (after - baseline) / (double) sensors, seconds);
  }

  void churn(long sensors, int rate, int sampleSeconds) throws Exception {
    List<long[]> samples = new ArrayList<>();
    long t0 = System.nanoTime();
    samples.add(new long[] {0, heapAfterGc()});
    long perSample = (long) rate * sampleSeconds;
    for (long from = 0; from < sensors; from += perSample) {
      long n = Math.min(perSample, sensors - from);
      sendDistinct("fp-churn-", from, n, rate);
      samples.add(new long[] {(System.nanoTime() - t0) / 1_000_000_000L, heapAfterGc()});
      long[] last = samples.get(samples.size() - 1);
      System.out.printf(
          "{\"figure\":\"churn-sample\",\"seconds\":%d,\"sensorsSoFar\":%d,\"heapAfterGcBytes\":%d,"
              + "\"entitiesInMemory\":%.0f}%n",
          last[0], from + n, last[1], metric("sensors_sharding_entities"));
    }
    // compare the mean heap of the second half of the run with that of the first half
    int half = samples.size() / 2;
    double first =
        samples.subList(1, Math.max(2, half + 1)).stream().mapToLong(a -> a[1]).average().orElse(0);
    double second =
        samples.subList(half, samples.size()).stream().mapToLong(a -> a[1]).average().orElse(0);
    System.out.printf(
        "{\"figure\":\"churn\",\"distinctSensors\":%d,\"samples\":%d,\"heapFirstHalfMeanBytes\":%.0f,"
            + "\"heapSecondHalfMeanBytes\":%.0f,\"growthPercent\":%.1f}%n",
        sensors, samples.size(), first, second, first == 0 ? 0 : 100.0 * (second - first) / first);
  }

  void recovery(int events, int passivateWaitSeconds) throws Exception {
    String sensor = "fp-deep-" + Instant.now().getEpochSecond();
    long t0 = System.nanoTime();
    int connections = 8;
    AtomicLong next = new AtomicLong();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      workers.add(
          CompletableFuture.runAsync(
              () -> {
                long i;
                while ((i = next.getAndIncrement()) < events) {
                  post(
                      "/api/v1/sensors/" + sensor + "/readings",
                      "{\"readingId\":\"e" + i + "\",\"value\":" + i + "}");
                }
              }));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    double writeSeconds = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(passivateWaitSeconds * 1000L);
    double countBefore = metric("sensors_entity_recovery_seconds_count");
    double sumBefore = metric("sensors_entity_recovery_seconds_sum");
    long r0 = System.nanoTime();
    String body = get("/api/v1/sensors/" + sensor + "?consistency=strong");
    double readMillis = (System.nanoTime() - r0) / 1e6;
    double countAfter = metric("sensors_entity_recovery_seconds_count");
    double sumAfter = metric("sensors_entity_recovery_seconds_sum");
    if (countAfter - countBefore != 1) {
      throw new IllegalStateException(
          "expected exactly one recovery (was the sensor passivated? raise --passivate-wait"
              + " or lower SENSORS_PASSIVATE_AFTER); recoveries seen: "
              + (countAfter - countBefore));
    }
    Matcher seq = Pattern.compile("\"sequenceNr\":(\\d+)").matcher(body);
    System.out.printf(
        "{\"figure\":\"recovery\",\"events\":%s,\"writeSeconds\":%.1f,\"recoveryMillis\":%.1f,"
            + "\"firstReadMillis\":%.1f}%n",
        seq.find() ? seq.group(1) : "?", writeSeconds, (sumAfter - sumBefore) * 1000, readMillis);
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  /**
   * Sends one reading to each of {@code n} sensors prefix+from.., 500 per NDJSON batch, one batch
   * at a time, at most {@code rate} sensors/s. A 503 (new sensors recovering slower than they
   * arrive), or a 429 (a device token over its quota), is retried with the same readingIds after
   * its Retry-After, which is safe; retries are counted.
   */
  long sendDistinct(String prefix, long from, long n, int rate) throws Exception {
    int batch = 500;
    long started = System.nanoTime();
    long retries = 0;
    for (long i = 0; i < n; i += batch) {
      long count = Math.min(batch, n - i);
      StringBuilder b = new StringBuilder((int) count * 48);
      for (long k = 0; k < count; k++) {
        b.append("{\"sensorId\":\"")
            .append(prefix)
            .append(from + i + k)
            .append("\",\"readingId\":\"fp\",\"value\":1}\n");
      }
      if (rate != Integer.MAX_VALUE) {
        long due = started + (long) ((i + count) * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      HttpRequest request =
          request("/api/v1/readings")
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/x-ndjson")
              .POST(HttpRequest.BodyPublishers.ofString(b.toString()))
              .build();
      for (int attempt = 0; ; attempt++) {
        HttpResponse<String> r = send(request);
        if ((r.statusCode() == 503 || r.statusCode() == 429) && attempt < 20) {
          retries++;
          Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
          continue;
        }
        check(r);
        break;
      }
    }
    if (retries > 0) {
      System.err.println("  (" + retries + " batch(es) answered 503 or 429 and were resent)");
    }
    return retries;
  }

  private static void check(HttpResponse<String> r) {
    if (r.statusCode() != 202) {
      String body = r.body();
      throw new IllegalStateException(
          "ingest answered "
              + r.statusCode()
              + ": "
              + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
    }
  }

  private void post(String path, String json) {
    try {
      HttpResponse<String> r =
          send(
              request(path)
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build());
      check(r);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String get(String path) throws IOException, InterruptedException {
    return send(request(path).timeout(Duration.ofSeconds(30)).GET().build()).body();
  }

  /** A request to {@code path} with the token, if any. */
  private HttpRequest.Builder request(String path) {
    return ApiToken.request(url, path, token);
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return ApiToken.send(http, request, token);
  }

  /** One unlabelled series of the node's /metrics (NaN when absent). */
  double metric(String series) throws IOException, InterruptedException {
    String scrape = get("/metrics");
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }
}
