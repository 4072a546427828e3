package org.sensorcluster.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Devices: several threads POST batches ({@code /api/v1/readings}, JSON array of {sensorId,
 * readingId, timestamp, value}) round-robin over the running nodes, a few hundred sensors, every
 * readingId unique. What counts as acknowledged follows http-api's BatchTally exactly:
 *
 * <ul>
 *   <li>{@code 202}: every item not listed in {@code rejected};
 *   <li>{@code 503} whose problem body carries {@code unconfirmed}: every item neither in {@code
 *       unconfirmed} nor in {@code rejected} (those were confirmed durable); the unconfirmed ones
 *       are resent;
 *   <li>any other {@code 503} (overload, HTTP request timeout: no {@code unconfirmed}), other 5xx,
 *       timeouts and connection errors: nothing; the whole batch is resent.
 * </ul>
 *
 * A reply whose {@code accepted + duplicates} does not match the items it would acknowledge is
 * trusted for nothing (resend everything) and counted as inconsistent. Resends carry the same
 * readingIds, go to another node, after {@code Retry-After} (or 1 s); a node that timed out or
 * refused the connection is skipped for {@link #EJECT_FOR} (as a load balancer would). Every
 * wall-clock second of the load phase in which no request got a 202 is a second without service.
 */
final class LoadDriver implements AutoCloseable {

  static final Duration EJECT_FOR = Duration.ofSeconds(3);
  static final Duration GIVE_UP_AFTER = Duration.ofSeconds(180);
  private static final ObjectMapper JSON = new ObjectMapper();

  record Item(String sensorId, String readingId, String timestamp, double value) {}

  private record Pending(
      List<Item> items, long notBefore, String lastUrl, long firstSent, int attempts) {}

  private final Supplier<List<String>> nodes;
  private final HarnessSettings settings;
  private final AckLog acks;
  private final HttpClient http;
  private final ConcurrentLinkedQueue<Pending> resends = new ConcurrentLinkedQueue<>();
  private final Map<String, Long> ejectedUntil = new ConcurrentHashMap<>();
  private final Set<Long> secondsWithSuccess = ConcurrentHashMap.newKeySet();

  /** seconds in which at least one reading was acknowledged (also by a partial 503) */
  private final Set<Long> secondsWithAck = ConcurrentHashMap.newKeySet();

  private final AtomicLong nextReadingId = new AtomicLong();
  private final AtomicInteger roundRobin = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private final List<Thread> workers = new ArrayList<>();

  final AtomicLong requests = new AtomicLong();
  final AtomicLong ok202 = new AtomicLong();
  final AtomicLong refused503 = new AtomicLong();
  final AtomicLong partial503 = new AtomicLong();
  final AtomicLong otherStatus = new AtomicLong();
  final AtomicLong transportErrors = new AtomicLong();
  final AtomicLong timeouts = new AtomicLong();
  final AtomicLong rejectedItems = new AtomicLong();
  final AtomicLong duplicateReplies = new AtomicLong();
  final AtomicLong inconsistentReplies = new AtomicLong();
  final AtomicLong resentItems = new AtomicLong();
  final AtomicLong abandonedItems = new AtomicLong();
  final AtomicLong sentItems = new AtomicLong();
  private final List<String> samples = new java.util.concurrent.CopyOnWriteArrayList<>();

  private volatile boolean generating;
  private volatile boolean running;
  private volatile long startSecond;
  private volatile long endSecond;

  LoadDriver(Supplier<List<String>> nodes, HarnessSettings settings, AckLog acks) {
    this.nodes = nodes;
    this.settings = settings;
    this.acks = acks;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  void start() {
    startSecond = Instant.now().getEpochSecond();
    generating = true;
    running = true;
    for (int t = 0; t < settings.loadThreads(); t++) {
      Thread w = new Thread(this::work, "load-" + t);
      w.setDaemon(true);
      w.start();
      workers.add(w);
    }
  }

  /** No new readings from now on; resends go on. Ends the window for seconds without service. */
  void stopGenerating() {
    generating = false;
    endSecond = Instant.now().getEpochSecond();
  }

  /** Waits (bounded) until every pending resend got an answer; then stops the workers. */
  boolean drain(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && (!resends.isEmpty() || inFlight.get() > 0)) {
      NetworkNamespaces.sleep(200);
    }
    boolean drained = resends.isEmpty() && inFlight.get() == 0;
    running = false;
    for (Thread w : workers) {
      try {
        w.join(settings.requestTimeout().toMillis() + 2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Pending p : resends) {
      abandonedItems.addAndGet(p.items().size());
    }
    resends.clear();
    return drained;
  }

  long pendingItems() {
    return resends.stream().mapToLong(p -> p.items().size()).sum();
  }

  /** Seconds of the load phase (start to {@link #stopGenerating}) in which no request got a 202. */
  long secondsWithoutService() {
    return secondsWithout(secondsWithSuccess);
  }

  /**
   * Seconds of the load phase in which not a single reading was acknowledged (not even by a partial
   * 503).
   */
  long secondsWithoutAnyAck() {
    return secondsWithout(secondsWithAck);
  }

  private long secondsWithout(Set<Long> with) {
    long end = endSecond == 0 ? Instant.now().getEpochSecond() : endSecond;
    long n = 0;
    for (long s = startSecond; s < end; s++) {
      if (!with.contains(s)) {
        n++;
      }
    }
    return n;
  }

  /** The longest run of consecutive seconds without service. */
  long longestOutage() {
    long end = endSecond == 0 ? Instant.now().getEpochSecond() : endSecond;
    long longest = 0;
    long current = 0;
    for (long s = startSecond; s < end; s++) {
      current = secondsWithSuccess.contains(s) ? 0 : current + 1;
      longest = Math.max(longest, current);
    }
    return longest;
  }

  List<String> samples() {
    return samples;
  }

  String summary() {
    return String.format(
        "requests=%d 202=%d 503=%d (with unconfirmed: %d) otherStatus=%d timeouts=%d transportErrors=%d"
            + " sentItems=%d resentItems=%d abandonedItems=%d rejectedItems=%d inconsistentReplies=%d"
            + " repliesWithDuplicates=%d longestOutage=%ds secondsWithoutAnyAck=%d loadSeconds=%d",
        requests.get(),
        ok202.get(),
        refused503.get(),
        partial503.get(),
        otherStatus.get(),
        timeouts.get(),
        transportErrors.get(),
        sentItems.get(),
        resentItems.get(),
        abandonedItems.get(),
        rejectedItems.get(),
        inconsistentReplies.get(),
        duplicateReplies.get(),
        longestOutage(),
        secondsWithoutAnyAck(),
        (endSecond == 0 ? Instant.now().getEpochSecond() : endSecond) - startSecond);
  }

  private void work() {
    while (running) {
      Pending p = nextResend();
      if (p == null && generating) {
        p = newBatch();
      }
      if (p == null) {
        NetworkNamespaces.sleep(50);
        continue;
      }
      inFlight.incrementAndGet();
      try {
        send(p);
      } finally {
        inFlight.decrementAndGet();
      }
      NetworkNamespaces.sleep(settings.pauseBetweenRequests().toMillis());
    }
  }

  private Pending nextResend() {
    long now = System.nanoTime();
    for (Pending p : resends) {
      if (p.notBefore() <= now && resends.remove(p)) {
        return p;
      }
    }
    return null;
  }

  private Pending newBatch() {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    List<Item> items = new ArrayList<>(settings.batchSize());
    String ts = Instant.now().toString();
    for (int i = 0; i < settings.batchSize(); i++) {
      String sensor = String.format("s-%04d", rnd.nextInt(settings.sensors()));
      String id = runId + "-" + nextReadingId.incrementAndGet();
      items.add(new Item(sensor, id, ts, Math.round(rnd.nextDouble(-20, 40) * 100) / 100.0));
    }
    sentItems.addAndGet(items.size());
    return new Pending(items, 0, null, System.nanoTime(), 0);
  }

  private String pickNode(String avoid) {
    List<String> all = nodes.get();
    if (all.isEmpty()) {
      return null;
    }
    long now = System.nanoTime();
    List<String> usable = new ArrayList<>();
    for (String u : all) {
      if (ejectedUntil.getOrDefault(u, 0L) <= now && !u.equals(avoid)) {
        usable.add(u);
      }
    }
    if (usable.isEmpty()) {
      for (String u : all) {
        if (!u.equals(avoid)) {
          usable.add(u);
        }
      }
    }
    if (usable.isEmpty()) {
      usable = all;
    }
    return usable.get(Math.floorMod(roundRobin.getAndIncrement(), usable.size()));
  }

  private void send(Pending p) {
    String url = pickNode(p.lastUrl());
    if (url == null) {
      retryLater(p, p.items(), null, Duration.ofMillis(500));
      return;
    }
    ArrayNode body = JSON.createArrayNode();
    for (Item it : p.items()) {
      ObjectNode o = body.addObject();
      o.put("sensorId", it.sensorId());
      o.put("readingId", it.readingId());
      o.put("timestamp", it.timestamp());
      o.put("value", it.value());
    }
    requests.incrementAndGet();
    HttpResponse<String> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/api/v1/readings"))
                  .timeout(settings.requestTimeout())
                  .header("Content-Type", "application/json")
                  .header(SuiteToken.HEADER, SuiteToken.bearer())
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (java.net.http.HttpTimeoutException e) {
      timeouts.incrementAndGet();
      eject(url);
      retryLater(p, p.items(), url, Duration.ofSeconds(1));
      return;
    } catch (IOException e) {
      transportErrors.incrementAndGet();
      eject(url);
      retryLater(p, p.items(), url, Duration.ofSeconds(1));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      retryLater(p, p.items(), url, Duration.ofSeconds(1));
      return;
    }
    handle(p, url, r);
  }

  private void handle(Pending p, String url, HttpResponse<String> r) {
    int status = r.statusCode();
    JsonNode json = parse(r.body());
    Set<Integer> rejected = indices(json, "rejected");
    if (status == 202) {
      int expected = p.items().size() - rejected.size();
      if (json == null
          || json.path("accepted").asInt(-1) + json.path("duplicates").asInt(-1) != expected) {
        inconsistentReplies.incrementAndGet();
        sample("inconsistent 202 from " + url + ": " + r.body());
        retryLater(p, p.items(), url, Duration.ofSeconds(1));
        return;
      }
      ok202.incrementAndGet();
      secondsWithSuccess.add(Instant.now().getEpochSecond());
      if (json.path("duplicates").asInt() > 0) {
        duplicateReplies.incrementAndGet();
      }
      acknowledge(p.items(), rejected, Set.of());
      return;
    }
    if (status == 503) {
      refused503.incrementAndGet();
      if (json != null && json.has("unconfirmed") && json.path("unconfirmed").isArray()) {
        Set<Integer> unconfirmed = indices(json, "unconfirmed");
        int expected = p.items().size() - rejected.size() - unconfirmed.size();
        if (json.path("accepted").asInt(-1) + json.path("duplicates").asInt(-1) == expected) {
          partial503.incrementAndGet();
          acknowledge(p.items(), rejected, unconfirmed);
          List<Item> again = new ArrayList<>();
          for (int i = 0; i < p.items().size(); i++) {
            if (unconfirmed.contains(i)) {
              again.add(p.items().get(i));
            }
          }
          if (!again.isEmpty()) {
            retryLater(p, again, url, retryAfter(r));
          }
          return;
        }
        inconsistentReplies.incrementAndGet();
        sample("inconsistent 503 from " + url + ": " + r.body());
      } else {
        sample("503 from " + url + ": " + r.body());
      }
      retryLater(p, p.items(), url, retryAfter(r));
      return;
    }
    otherStatus.incrementAndGet();
    sample(status + " from " + url + ": " + r.body());
    if (status >= 500 || status == 429 || status == 408) {
      retryLater(p, p.items(), url, Duration.ofSeconds(1));
    }
    // other 4xx: the batch itself is wrong; a resend would not help (and none is expected)
  }

  private void acknowledge(List<Item> items, Set<Integer> rejected, Set<Integer> unconfirmed) {
    for (int i = 0; i < items.size(); i++) {
      if (rejected.contains(i)) {
        rejectedItems.incrementAndGet();
      } else if (!unconfirmed.contains(i)) {
        secondsWithAck.add(Instant.now().getEpochSecond());
        acks.acknowledged(items.get(i).sensorId(), items.get(i).readingId());
      }
    }
  }

  private void retryLater(Pending p, List<Item> items, String url, Duration after) {
    if (System.nanoTime() - p.firstSent() > GIVE_UP_AFTER.toNanos()) {
      abandonedItems.addAndGet(items.size());
      return;
    }
    resentItems.addAndGet(items.size());
    resends.add(
        new Pending(
            items, System.nanoTime() + after.toNanos(), url, p.firstSent(), p.attempts() + 1));
  }

  private void eject(String url) {
    ejectedUntil.put(url, System.nanoTime() + EJECT_FOR.toNanos());
  }

  private static Duration retryAfter(HttpResponse<String> r) {
    try {
      return Duration.ofSeconds(
          Math.max(
              1, Math.min(10, Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")))));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(1);
    }
  }

  private void sample(String s) {
    if (samples.size() < 20) {
      samples.add(s.length() > 500 ? s.substring(0, 500) + "..." : s);
    }
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static Set<Integer> indices(JsonNode json, String field) {
    Set<Integer> out = new HashSet<>();
    if (json != null) {
      for (JsonNode e : json.path(field)) {
        out.add(e.path("index").asInt());
      }
    }
    return out;
  }

  @Override
  public void close() {
    running = false;
    generating = false;
  }
}
