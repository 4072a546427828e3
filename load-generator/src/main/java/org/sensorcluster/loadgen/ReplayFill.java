package org.sensorcluster.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ReplayProbe fill}: registers every {@code alertEvery}-th sensor with thresholds, then
 * sends {@code events} readings as JSON-array batches of {@code perRequest} readings for as many
 * distinct sensors, closed loop over {@code connections} connections (see {@link ReplayProbe}).
 * 503s and 429s are resent with the same readingIds (safe).
 */
final class ReplayFill {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeHttp node;

  ReplayFill(NodeHttp node) {
    this.node = node;
  }

  void run(
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
          node.send(
              node.request("/api/v1/sensors/" + prefix + s)
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
                          node.send(
                              node.request("/api/v1/readings")
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
}
