package org.sensorcluster.loadgen;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Open-loop HTTP load generator for the ingest API (wrk2-style): a fixed arrival rate split evenly
 * over C keep-alive connections, one thread each; latency measured from each request's intended
 * send time into HdrHistogram, so queueing in the server shows up in the figures (see {@link
 * ConnectionWorker}). Reports acknowledged readings/s (the "accepted" of 202 replies), ack latency
 * p50/p99/p99.9/max, every status code and every transport error; one human line and one JSON line
 * on stdout. Every request carries {@code Authorization: Bearer <token>} ({@code --token}, default
 * {@code SENSORS_TOKEN}); a 401 or 403 stops the run ({@link ApiToken}).
 *
 * <p>{@code java -jar load-generator.jar load --url http://127.0.0.1:8080 --mode array
 * --reading-rate 20000}
 */
public final class LoadGenerator {

  private LoadGenerator() {}

  public static void main(String[] args) {
    LoadSettings settings;
    try {
      settings = LoadCommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      if (!"help".equals(e.getMessage())) System.err.println("error: " + e.getMessage());
      System.err.println(LoadCommandLine.usage());
      System.exit(2);
      return;
    }
    try {
      if (settings.findMax() != null) {
        MaxRateSearch.Outcome outcome =
            MaxRateSearch.run(settings, Clock.systemUTC(), System.out::println);
        System.out.println(outcome.line());
        emitJson(settings, outcome.json());
      } else {
        System.out.printf(
            "load: %s %s, %.1f req/s x %d readings over %d connections, warm-up %s, measuring %s%n",
            settings.mode(),
            settings.url(),
            settings.requestsPerSecond(),
            settings.readingsPerRequest(),
            settings.connections(),
            settings.warmup(),
            settings.duration());
        LoadResult r = run(settings, Clock.systemUTC());
        System.out.println(r.line());
        emitJson(settings, r.json());
      }
    } catch (ApiToken.Rejected e) {
      System.err.println("load generator " + e.getMessage());
      System.exit(1);
    } catch (IOException | RuntimeException e) {
      System.err.println("load generator failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void emitJson(LoadSettings settings, String json) throws IOException {
    System.out.println(json);
    if (settings.jsonOut() != null) {
      Path parent = settings.jsonOut().toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Files.writeString(
          settings.jsonOut(),
          json + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }

  /**
   * One run at {@code settings.requestsPerSecond()}: warm-up, measured window, result. Throws
   * {@link ApiToken.Rejected} as soon as the node answers 401 or 403 (every connection stops).
   */
  public static LoadResult run(LoadSettings settings, Clock clock) throws IOException {
    RequestFactory requests = new RequestFactory(settings);
    AtomicLong nextReading = new AtomicLong();
    AckRecorder recorder = settings.record() == null ? null : new AckRecorder(settings.record());
    try {
      List<ConnectionWorker> workers = new ArrayList<>(settings.connections());
      AtomicReference<ApiToken.Rejected> refused = new AtomicReference<>();
      for (int i = 0; i < settings.connections(); i++) {
        workers.add(
            new ConnectionWorker(i, settings, requests, nextReading, recorder, clock, refused));
      }
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>(workers.size());
      long cpuBefore = processCpuNanos();
      // a little head room so that every thread is parked before its first arrival is due
      long start = System.nanoTime() + 50_000_000L + workers.size() * 200_000L;
      long measureFrom = start + settings.warmup().toNanos();
      long measureTo = measureFrom + settings.duration().toNanos();
      for (ConnectionWorker w : workers) {
        w.schedule(start, measureFrom, measureTo);
        Thread t =
            new Thread(
                () -> {
                  try {
                    w.run();
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                },
                "load-conn-" + threads.size());
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      long wall = System.nanoTime() - start;
      double cpuCores =
          cpuBefore < 0 ? Double.NaN : (processCpuNanos() - cpuBefore) / (double) Math.max(1, wall);
      Throwable f = failure.get();
      if (f != null) throw new IllegalStateException("connection thread failed", f);
      if (refused.get() != null) throw refused.get();
      return WorkerTotals.sum(settings, workers, cpuCores);
    } finally {
      if (recorder != null) recorder.close();
    }
  }

  /** CPU time of this JVM (all threads), or -1 where the JVM does not tell. */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
