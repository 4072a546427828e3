package org.sensorcluster.loadgen;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * {@code java -jar load-generator.jar streams ...}: opens many Server-Sent Event streams of a node
 * at once and counts what they receive, for the live-stream benchmark ({@code bench/streams.sh}).
 *
 * <p>One {@link HttpClient} (HTTP/1.1, one connection per stream) on a small fixed executor reads
 * all streams, so 1,000 clients cost a few threads and their socket buffers. Clients connect at
 * {@code --connect-rate} per second; once every client got its {@code ready} event (or {@code
 * --connect-timeout} passed) the optional {@code --ready-file} is written, and the streams are held
 * for {@code --duration} (or until every one of them ended, or {@code --stop-file} exists).
 * Reported per group of clients: connected (got {@code ready}), refused (not 200), failed (no
 * answer, or ended before {@code ready}), disconnects (a stream the node ended before the run did,
 * e.g. a slow client it dropped), data events per client (min/max/total, {@code ready} excluded)
 * and the delivery latency of {@code readings} events: receipt time minus the event's {@code
 * recordedAt} (the node's clock; meaningful when the node runs on the same machine).
 */
final class StreamClients {

  private final StreamSettings settings;
  private final List<StreamClient> clients = new ArrayList<>();
  private final List<Histogram> latencies = new ArrayList<>();
  private final CountDownLatch settled; // each client: ready, or ended before
  private final CountDownLatch open; // each client: ended
  private volatile boolean stopping;

  StreamClients(StreamSettings settings) {
    this.settings = settings;
    int total = settings.groups().stream().mapToInt(StreamGroup::clients).sum();
    settled = new CountDownLatch(total);
    open = new CountDownLatch(total);
    for (int g = 0; g < settings.groups().size(); g++) {
      latencies.add(new ConcurrentHistogram(3));
    }
  }

  StreamResult run() throws InterruptedException, IOException {
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            settings.threads(),
            r -> {
              Thread t = new Thread(r, "streams-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(executor)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    long pause = settings.connectRate() > 0 ? 1_000_000_000L / settings.connectRate() : 0;
    long next = System.nanoTime();
    for (int g = 0; g < settings.groups().size(); g++) {
      StreamGroup group = settings.groups().get(g);
      for (int i = 0; i < group.clients(); i++) {
        StreamClient c = new StreamClient(g, latencies.get(g), settled, open, () -> stopping);
        clients.add(c);
        HttpRequest.Builder request =
            HttpRequest.newBuilder(settings.base().resolve(group.pathOf(i)))
                .header("Accept", "text/event-stream")
                .GET();
        if (settings.token() != null) {
          request.header("Authorization", "Bearer " + settings.token());
        }
        http.sendAsync(
                request.build(),
                info -> {
                  c.status = info.statusCode();
                  return info.statusCode() == 200
                      ? HttpResponse.BodySubscribers.fromLineSubscriber(c)
                      : HttpResponse.BodySubscribers.replacing(null);
                })
            .whenComplete(
                (response, error) -> {
                  if (error != null || response.statusCode() != 200) {
                    c.end();
                  }
                });
        next += pause;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
    }
    settled.await(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    if (settings.readyFile() != null) {
      Files.writeString(settings.readyFile(), "ready\n", StandardCharsets.UTF_8);
    }
    long start = System.nanoTime();
    long end = start + settings.duration().toNanos();
    while (!open.await(
            Math.max(1, Math.min(100, (end - System.nanoTime()) / 1_000_000)),
            TimeUnit.MILLISECONDS)
        && System.nanoTime() < end
        && (settings.stopFile() == null || !Files.exists(settings.stopFile()))) {
      // held until the duration passed, every stream ended or the stop file appeared
    }
    stopping = true;
    double seconds = (System.nanoTime() - start) / 1e9;
    StreamResult result = result(seconds);
    for (StreamClient c : clients) {
      Flow.Subscription s = c.subscription;
      if (s != null) {
        s.cancel();
      }
    }
    executor.shutdownNow();
    return result;
  }

  private StreamResult result(double seconds) {
    List<StreamGroupResult> out = new ArrayList<>();
    for (int g = 0; g < settings.groups().size(); g++) {
      int group = g;
      List<StreamClient> mine = clients.stream().filter(c -> c.group == group).toList();
      long min = mine.stream().mapToLong(c -> c.events.get()).min().orElse(0);
      long max = mine.stream().mapToLong(c -> c.events.get()).max().orElse(0);
      long total = mine.stream().mapToLong(c -> c.events.get()).sum();
      int connected = (int) mine.stream().filter(c -> c.ready).count();
      int refused = (int) mine.stream().filter(c -> c.status != 0 && c.status != 200).count();
      Map<Integer, Integer> byStatus = new TreeMap<>();
      mine.stream()
          .filter(c -> c.status != 0 && c.status != 200)
          .forEach(c -> byStatus.merge(c.status, 1, Integer::sum));
      int failed =
          (int)
              mine.stream()
                  .filter(c -> !c.ready && c.ended && (c.status == 0 || c.status == 200))
                  .count();
      int disconnects = (int) mine.stream().filter(c -> c.ready && c.endedBeforeStop).count();
      Histogram h = latencies.get(g).copy();
      boolean any = h.getTotalCount() > 0;
      out.add(
          new StreamGroupResult(
              settings.groups().get(g).path(),
              mine.size(),
              connected,
              refused,
              byStatus,
              failed,
              disconnects,
              min,
              max,
              total,
              h.getTotalCount(),
              any ? h.getValueAtPercentile(50) : Double.NaN,
              any ? h.getValueAtPercentile(99) : Double.NaN,
              any ? h.getMaxValue() : Double.NaN));
    }
    return new StreamResult(settings.label(), seconds, cpuSeconds(), out);
  }

  /** This JVM's CPU time so far (the clients' cost), NaN where the platform does not tell. */
  private static double cpuSeconds() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        && os.getProcessCpuTime() >= 0) {
      return os.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(StreamSettings.USAGE);
      return;
    }
    try {
      StreamSettings settings = StreamSettings.parse(args);
      StreamResult result = new StreamClients(settings).run();
      System.out.print(result.text());
      if (settings.jsonOut() != null) {
        Path parent = settings.jsonOut().toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(
            settings.jsonOut(),
            result.json() + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(StreamSettings.USAGE);
      System.exit(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(1);
    } catch (IOException e) {
      System.err.println("streams failed: " + e);
      System.exit(1);
    }
  }
}
