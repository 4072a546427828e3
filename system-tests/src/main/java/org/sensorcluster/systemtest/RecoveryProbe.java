package org.sensorcluster.systemtest;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long after a crash every sensor is served again (issue 17's target: within 10 s with the
 * shipped settings). Before the fault, {@link #prime} gives each of its sensors one reading through
 * a surviving node, so their shards are allocated across the cluster (about a third on the node
 * that will crash). After it, {@link #awaitServed} sends each sensor a new reading every {@link
 * #EVERY}, without waiting for the attempts still in flight (those to a dead node's shard wait for
 * the ask timeout, 5 s), until one is acknowledged: the time from the crash to the sending of the
 * first acknowledged attempt of the slowest sensor is when the last sensor was served again,
 * measured to within {@link #EVERY}.
 */
final class RecoveryProbe {

  static final Duration EVERY = Duration.ofMillis(250);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private final NodeProcess via;
  private final List<String> sensors;

  private RecoveryProbe(NodeProcess via, List<String> sensors) {
    this.via = via;
    this.sensors = sensors;
  }

  /** One reading for each of {@code count} probe sensors through node {@code via}, all acked. */
  static RecoveryProbe prime(Scenario.Context ctx, int via, int count) {
    List<String> sensors = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sensors.add("probe-recovery-" + i);
    }
    RecoveryProbe probe = new RecoveryProbe(ctx.node(via), sensors);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (String sensor : sensors) {
      int status = -1;
      while (status != 202 && System.nanoTime() < deadline) {
        status = probe.send(sensor, "prime").join();
        if (status != 202) {
          NetworkNamespaces.sleep(200);
        }
      }
      if (status != 202) {
        ctx.problem("recovery probe: " + sensor + " not acknowledged before the fault: " + status);
      }
    }
    ctx.event("recovery probe: " + count + " sensors primed through " + probe.via.name());
    return probe;
  }

  /**
   * Sends new readings until every sensor acknowledged one; a problem of the scenario if the last
   * sensor is served later than {@code budget} after {@code faultAt} ({@link System#nanoTime()}).
   * Gives up after twice the budget.
   */
  void awaitServed(Scenario.Context ctx, long faultAt, Duration budget) {
    long giveUp = faultAt + budget.multipliedBy(2).toNanos();
    ExecutorService threads = Executors.newFixedThreadPool(sensors.size());
    List<Long> ms;
    try {
      List<CompletableFuture<Long>> served = new ArrayList<>();
      for (String sensor : sensors) {
        served.add(
            CompletableFuture.supplyAsync(() -> firstAcked(sensor, faultAt, giveUp), threads));
      }
      ms = served.stream().map(CompletableFuture::join).toList();
    } finally {
      threads.shutdownNow();
    }
    long missing = ms.stream().filter(m -> m < 0).count();
    long slowest = ms.stream().mapToLong(Long::longValue).max().orElse(-1);
    long fastest = ms.stream().filter(m -> m >= 0).mapToLong(Long::longValue).min().orElse(-1);
    if (missing > 0) {
      ctx.problem(
          "recovery probe: "
              + missing
              + " of "
              + sensors.size()
              + " sensors not served again within "
              + budget.multipliedBy(2).toSeconds()
              + " s of the fault");
    } else if (slowest > budget.toMillis()) {
      ctx.problem(
          "recovery probe: the last of "
              + sensors.size()
              + " sensors was served again "
              + slowest
              + " ms after the fault; budget "
              + budget.toMillis()
              + " ms");
    } else {
      ctx.event(
          "recovery probe: every one of "
              + sensors.size()
              + " sensors served again within "
              + slowest
              + " ms of the fault (first after "
              + fastest
              + " ms; budget "
              + budget.toMillis()
              + " ms)");
    }
  }

  /** Ms from the fault to the sending of the first acknowledged attempt; -1 if none. */
  private long firstAcked(String sensor, long faultAt, long giveUp) {
    AtomicLong ackedSentAt = new AtomicLong(Long.MAX_VALUE);
    List<CompletableFuture<Void>> attempts = new ArrayList<>();
    for (int n = 1; System.nanoTime() < giveUp && ackedSentAt.get() == Long.MAX_VALUE; n++) {
      long sentAt = System.nanoTime();
      attempts.add(
          send(sensor, "after-" + n)
              .thenAccept(
                  status -> {
                    if (status == 202) {
                      ackedSentAt.accumulateAndGet(sentAt, Math::min);
                    }
                  }));
      NetworkNamespaces.sleep(EVERY.toMillis());
    }
    CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).join();
    long sent = ackedSentAt.get();
    return sent == Long.MAX_VALUE ? -1 : Math.max(0, (sent - faultAt) / 1_000_000);
  }

  private CompletableFuture<Integer> send(String sensor, String readingId) {
    HttpRequest request =
        via.readingRequest(
            sensor, "{\"readingId\":\"" + readingId + "\",\"value\":2.5}", Duration.ofSeconds(8));
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle((r, failure) -> r == null ? -1 : r.statusCode());
  }
}
