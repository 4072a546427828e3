package org.sensorcluster.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
import java.util.concurrent.atomic.AtomicLong;
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

  /**
   * {@code clients} streams of {@code path}; {@code {i}} in the path becomes the client's number in
   * the group.
   */
  record Group(int clients, String path) {
    String pathOf(int i) {
      return path.replace("{i}", Integer.toString(i));
    }
  }

  record Settings(
      URI base,
      List<Group> groups,
      Duration duration,
      int connectRate,
      Duration connectTimeout,
      String token,
      String label,
      Path jsonOut,
      Path readyFile,
      Path stopFile,
      int threads) {}

  /** What one group's clients received. */
  record GroupResult(
      String path,
      int clients,
      int connected,
      int refused,
      Map<Integer, Integer> refusedByStatus,
      int failed,
      int disconnects,
      long eventsMin,
      long eventsMax,
      long eventsTotal,
      long latencyCount,
      double latencyP50Ms,
      double latencyP99Ms,
      double latencyMaxMs) {}

  record Result(String label, double seconds, double clientCpuSeconds, List<GroupResult> groups) {

    String json() {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("type", "streams");
      root.put("label", label);
      root.put("duration_s", seconds);
      root.put("client_cpu_s", clientCpuSeconds);
      ArrayNode array = root.putArray("groups");
      for (GroupResult g : groups) {
        ObjectNode n = array.addObject();
        n.put("path", g.path());
        n.put("clients", g.clients());
        n.put("connected", g.connected());
        n.put("refused", g.refused());
        ObjectNode statuses = n.putObject("refused_by_status");
        g.refusedByStatus()
            .forEach((status, count) -> statuses.put(Integer.toString(status), count));
        n.put("failed", g.failed());
        n.put("disconnects", g.disconnects());
        n.put("events_min", g.eventsMin());
        n.put("events_max", g.eventsMax());
        n.put("events_total", g.eventsTotal());
        n.put("latency_count", g.latencyCount());
        n.put("latency_p50_ms", g.latencyP50Ms());
        n.put("latency_p99_ms", g.latencyP99Ms());
        n.put("latency_max_ms", g.latencyMaxMs());
      }
      return root.toString();
    }

    String text() {
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              "streams %s: %.1f s, client CPU %.1f s%n", label, seconds, clientCpuSeconds));
      for (GroupResult g : groups) {
        b.append(
            String.format(
                "  %s: %d clients, %d connected, %d refused %s, %d failed before ready, %d"
                    + " disconnected by the node; data events per client min %d max %d (total %d); readings latency p50"
                    + " %.1f ms p99 %.1f ms max %.1f ms (%d events)%n",
                g.path(),
                g.clients(),
                g.connected(),
                g.refused(),
                g.refusedByStatus(),
                g.failed(),
                g.disconnects(),
                g.eventsMin(),
                g.eventsMax(),
                g.eventsTotal(),
                g.latencyP50Ms(),
                g.latencyP99Ms(),
                g.latencyMaxMs(),
                g.latencyCount()));
      }
      return b.toString();
    }
  }

  /** One stream: counts its events; ended when the node closed it or the connection failed. */
  private final class Client implements Flow.Subscriber<String> {
    final int group;
    final SseParser parser = new SseParser(this::event);
    final AtomicLong events = new AtomicLong();
    volatile boolean ready;
    volatile boolean ended;
    volatile boolean endedBeforeStop;
    volatile int status;
    volatile Flow.Subscription subscription;

    Client(int group) {
      this.group = group;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      parser.line(line);
    }

    @Override
    public void onError(Throwable e) {
      end();
    }

    @Override
    public void onComplete() {
      end();
    }

    synchronized void end() {
      if (!ended) {
        ended = true;
        endedBeforeStop = !stopping;
        if (!ready) {
          settled.countDown();
        }
        open.countDown();
      }
    }

    private void event(SseParser.Event e) {
      if (e.type().equals("ready")) {
        if (!ready) {
          ready = true;
          settled.countDown();
        }
        return;
      }
      events.incrementAndGet();
      if (e.type().equals("readings")) {
        long at = recordedAt(e.data());
        if (at > 0) {
          latencies.get(group).recordValue(Math.max(0, System.currentTimeMillis() - at));
        }
      }
    }
  }

  private final Settings settings;
  private final List<Client> clients = new ArrayList<>();
  private final List<Histogram> latencies = new ArrayList<>();
  private final CountDownLatch settled; // each client: ready, or ended before
  private final CountDownLatch open; // each client: ended
  private volatile boolean stopping;

  StreamClients(Settings settings) {
    this.settings = settings;
    int total = settings.groups().stream().mapToInt(Group::clients).sum();
    settled = new CountDownLatch(total);
    open = new CountDownLatch(total);
    for (int g = 0; g < settings.groups().size(); g++) {
      latencies.add(new ConcurrentHistogram(3));
    }
  }

  /** The epoch millis of the {@code recordedAt} of a readings event's JSON, or 0 without one. */
  static long recordedAt(String json) {
    int key = json.indexOf("\"recordedAt\"");
    if (key < 0) {
      return 0;
    }
    int start = json.indexOf('"', json.indexOf(':', key) + 1);
    int end = start < 0 ? -1 : json.indexOf('"', start + 1);
    if (end < 0) {
      return 0;
    }
    try {
      return Instant.parse(json.substring(start + 1, end)).toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  Result run() throws InterruptedException, IOException {
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
      Group group = settings.groups().get(g);
      for (int i = 0; i < group.clients(); i++) {
        Client c = new Client(g);
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
    Result result = result(seconds);
    for (Client c : clients) {
      Flow.Subscription s = c.subscription;
      if (s != null) {
        s.cancel();
      }
    }
    executor.shutdownNow();
    return result;
  }

  private Result result(double seconds) {
    List<GroupResult> out = new ArrayList<>();
    for (int g = 0; g < settings.groups().size(); g++) {
      int group = g;
      List<Client> mine = clients.stream().filter(c -> c.group == group).toList();
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
          new GroupResult(
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
    return new Result(settings.label(), seconds, cpuSeconds(), out);
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

  // ---- the command line ------------------------------------------------------------------------

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar load-generator.jar streams --url http://HOST:PORT [options]",
          "  --clients N               streams to open (default 1000) of --path (default /api/v1/stream)",
          "  --path P                  the stream's path; {i} becomes the client's number (0..N-1)",
          "  --group N:P               a further group of N clients of path P (repeatable)",
          "  --duration S              seconds to hold the streams once connected (default 60)",
          "  --connect-rate R          new connections per second (default 200; 0: all at once)",
          "  --connect-timeout S       seconds to wait for every ready event (default 60)",
          "  --threads T               threads reading the streams (default 2)",
          "  --token T                 bearer token (default: the SENSORS_TOKEN environment variable)",
          "  --label L                 the run's label in the output",
          "  --json-out FILE           also append the one-line JSON result to FILE",
          "  --ready-file FILE         written once the clients are connected",
          "  --stop-file FILE          the run ends when FILE exists (or after --duration)");

  static Settings parse(String[] args) {
    URI base = null;
    int clients = 1000;
    String path = "/api/v1/stream";
    List<Group> more = new ArrayList<>();
    Duration duration = Duration.ofSeconds(60);
    Duration connectTimeout = Duration.ofSeconds(60);
    int rate = 200;
    int threads = 2;
    String token = null;
    String label = "streams";
    Path jsonOut = null;
    Path readyFile = null;
    Path stopFile = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String v = args[++i];
      switch (flag) {
        case "--url" -> base = URI.create(v);
        case "--clients" -> clients = Integer.parseInt(v);
        case "--path" -> path = v;
        case "--group" -> {
          int colon = v.indexOf(':');
          if (colon < 1) {
            throw new IllegalArgumentException("--group is N:PATH, got " + v);
          }
          more.add(new Group(Integer.parseInt(v.substring(0, colon)), v.substring(colon + 1)));
        }
        case "--duration" -> duration = Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        case "--connect-rate" -> rate = Integer.parseInt(v);
        case "--connect-timeout" ->
            connectTimeout = Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        case "--threads" -> threads = Integer.parseInt(v);
        case "--token" -> token = v;
        case "--label" -> label = v;
        case "--json-out" -> jsonOut = Path.of(v);
        case "--ready-file" -> readyFile = Path.of(v);
        case "--stop-file" -> stopFile = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    if (base == null || !"http".equals(base.getScheme()) || base.getHost() == null) {
      throw new IllegalArgumentException("--url must be http://HOST:PORT, got " + base);
    }
    if (clients < 0 || threads < 1 || rate < 0) {
      throw new IllegalArgumentException(
          "--clients, --threads and --connect-rate must not be negative");
    }
    List<Group> groups = new ArrayList<>();
    if (clients > 0) {
      groups.add(new Group(clients, path));
    }
    groups.addAll(more);
    return new Settings(
        base,
        List.copyOf(groups),
        duration,
        rate,
        connectTimeout,
        ApiToken.resolve(token, System::getenv),
        label,
        jsonOut,
        readyFile,
        stopFile,
        threads);
  }

  static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(USAGE);
      return;
    }
    try {
      Settings settings = parse(args);
      Result result = new StreamClients(settings).run();
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
      System.err.println(USAGE);
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
