package org.sensorcluster.loadgen;

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

  private final FootprintNode node;
  private final NodeHeap heap;

  FootprintProbe(String url, long pid, String token) {
    this.node = new FootprintNode(url, token);
    this.heap = new NodeHeap(pid);
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

  // ---- modes ----------------------------------------------------------------------------------

  void active(long sensors) throws Exception {
    long baseline = heap.heapAfterGc();
    long t0 = System.nanoTime();
    node.sendDistinct("fp-active-", 0, sensors, Integer.MAX_VALUE);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long after = heap.heapAfterGc();
    double entities = node.metric("sensors_sharding_entities");
    System.out.printf(
        "{\"figure\":\"active-sensors\",\"sensors\":%d,\"entitiesInMemory\":%.0f,\"baselineHeapBytes\":%d,"
            + "\"heapAfterBytes\":%d,\"bytesPerActiveSensor\":%.0f,\"sendSeconds\":%.1f}%n",
        sensors, entities, baseline, after, (after - baseline) / (double) sensors, seconds);
  }

  void churn(long sensors, int rate, int sampleSeconds) throws Exception {
    List<long[]> samples = new ArrayList<>();
    long t0 = System.nanoTime();
    samples.add(new long[] {0, heap.heapAfterGc()});
    long perSample = (long) rate * sampleSeconds;
    for (long from = 0; from < sensors; from += perSample) {
      long n = Math.min(perSample, sensors - from);
      node.sendDistinct("fp-churn-", from, n, rate);
      samples.add(new long[] {(System.nanoTime() - t0) / 1_000_000_000L, heap.heapAfterGc()});
      long[] last = samples.get(samples.size() - 1);
      System.out.printf(
          "{\"figure\":\"churn-sample\",\"seconds\":%d,\"sensorsSoFar\":%d,\"heapAfterGcBytes\":%d,"
              + "\"entitiesInMemory\":%.0f}%n",
          last[0], from + n, last[1], node.metric("sensors_sharding_entities"));
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
                  node.post(
                      "/api/v1/sensors/" + sensor + "/readings",
                      "{\"readingId\":\"e" + i + "\",\"value\":" + i + "}");
                }
              }));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    double writeSeconds = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(passivateWaitSeconds * 1000L);
    double countBefore = node.metric("sensors_entity_recovery_seconds_count");
    double sumBefore = node.metric("sensors_entity_recovery_seconds_sum");
    long r0 = System.nanoTime();
    String body = node.get("/api/v1/sensors/" + sensor + "?consistency=strong");
    double readMillis = (System.nanoTime() - r0) / 1e6;
    double countAfter = node.metric("sensors_entity_recovery_seconds_count");
    double sumAfter = node.metric("sensors_entity_recovery_seconds_sum");
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
}
