package org.sensorcluster.systemtest;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * What a device sees during a partition, probed directly (not through the load driver's round
 * robin): the node on the minority side refuses a write at once with 503 and {@code Retry-After}
 * (it must not let the device wait for the ask timeout), and the majority side serves every sensor
 * again once the split-brain resolver has downed the minority, within the partition. Each deviation
 * is a problem of the scenario.
 */
final class PartitionProbe {

  /** "At once": well under the entity ask timeout (5 s) a write would otherwise wait for. */
  static final Duration AT_ONCE = Duration.ofMillis(1500);

  /** The refusal details of a node that must not take writes (see ClusterHealth). */
  private static final Pattern REFUSAL = Pattern.compile("minority side|shutting down|not up");

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private PartitionProbe() {}

  /**
   * Writes through {@code minority} (one new reading per attempt, a new attempt every 200 ms
   * whether the earlier ones were answered or not) until one is refused because the node is on the
   * minority side, or has been downed and is leaving (up to 15 s); that refusal must be a 503 with
   * {@code Retry-After} within {@link #AT_ONCE}. Attempts overlap because an attempt sent before
   * the node noticed the partition waits for its sensor's shard on the other side (the 5 s ask
   * timeout) and would otherwise hide the few seconds between the node noticing and its shutdown.
   * Before the node notices the partition, writes to sensors it owns itself still succeed (it
   * reaches the database); that is not a problem.
   */
  static void minorityRefusesAtOnce(Scenario.Context ctx, int minority) {
    NodeProcess n = ctx.node(minority);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    AtomicReference<String> refusal = new AtomicReference<>();
    AtomicReference<String> late = new AtomicReference<>();
    AtomicReference<String> last = new AtomicReference<>("no attempt");
    List<CompletableFuture<Void>> attempts = new ArrayList<>();
    for (int attempt = 1; System.nanoTime() < deadline && refusal.get() == null; attempt++) {
      long t0 = System.nanoTime();
      HttpRequest request =
          n.readingRequest(
              "probe-minority",
              "{\"readingId\":\"m-" + attempt + "\",\"value\":1.5}",
              Duration.ofSeconds(10));
      attempts.add(
          HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .handle(
                  (r, failure) -> {
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    if (r != null && r.statusCode() == 503 && REFUSAL.matcher(r.body()).find()) {
                      boolean retryAfter = r.headers().firstValue("Retry-After").isPresent();
                      if (retryAfter && ms <= AT_ONCE.toMillis()) {
                        refusal.compareAndSet(
                            null, "with 503 + Retry-After in " + ms + " ms: " + r.body());
                      } else {
                        late.compareAndSet(
                            null,
                            ms
                                + " ms after it was sent"
                                + (retryAfter ? "" : ", without Retry-After")
                                + ": "
                                + r.body());
                      }
                    } else {
                      last.set(
                          (r == null ? "no reply" : r.statusCode() + " " + r.body())
                              + " after "
                              + ms
                              + " ms");
                    }
                    return null;
                  }));
      NetworkNamespaces.sleep(200);
    }
    CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).join();
    if (refusal.get() != null) {
      ctx.event(n.name() + " (minority) refused a write " + refusal.get());
    } else if (late.get() != null) {
      ctx.problem(
          n.name()
              + " (minority) refused a write "
              + late.get()
              + "; expected 503 + Retry-After within "
              + AT_ONCE.toMillis()
              + " ms");
    } else {
      ctx.problem(
          n.name()
              + " (minority) did not refuse writes as the minority within 15 s; last: "
              + last.get());
    }
  }

  /**
   * Writes to {@code sensors} new sensors through {@code majority}, each retried on 503 until
   * {@code within} passes: every one must be acknowledged (their shards may have been on the
   * minority node, so this needs the resolver's decision and the hand-off to have happened).
   */
  static void majorityServesEverySensor(
      Scenario.Context ctx, int majority, int sensors, Duration within) {
    NodeProcess n = ctx.node(majority);
    long t0 = System.nanoTime();
    long deadline = t0 + within.toNanos();
    List<CompletableFuture<Integer>> writes = new ArrayList<>();
    for (int i = 0; i < sensors; i++) {
      String sensor = "probe-majority-" + i;
      writes.add(
          CompletableFuture.supplyAsync(
              () -> {
                int status = -1;
                while (System.nanoTime() < deadline) {
                  HttpResponse<String> r = post(n, sensor, "p-1");
                  status = r == null ? -1 : r.statusCode();
                  if (status == 202) {
                    break;
                  }
                  NetworkNamespaces.sleep(250);
                }
                return status;
              }));
    }
    List<Integer> statuses = writes.stream().map(CompletableFuture::join).toList();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long ok = statuses.stream().filter(s -> s == 202).count();
    if (ok < sensors) {
      ctx.problem(
          n.name()
              + " (majority) acknowledged "
              + ok
              + " of "
              + sensors
              + " new sensors within "
              + within.toSeconds()
              + " s of the probe; last statuses "
              + statuses);
    } else {
      ctx.event(
          n.name()
              + " (majority) acknowledged all "
              + sensors
              + " probe sensors after "
              + ms
              + " ms");
    }
  }

  private static HttpResponse<String> post(NodeProcess n, String sensor, String readingId) {
    return n.postReading(
            HTTP,
            sensor,
            "{\"readingId\":\"" + readingId + "\",\"value\":1.5}",
            Duration.ofSeconds(10))
        .orElse(null);
  }
}
