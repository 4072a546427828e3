package org.sensorcluster.systemtest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * refused the connection is skipped for {@link NodeRotation#EJECT_FOR} (as a load balancer would).
 * Every wall-clock second of the load phase in which no request got a 202 is a second without
 * service.
 */
final class LoadDriver implements AutoCloseable {

  record Item(String sensorId, String readingId, String timestamp, double value) {}

  private final HarnessSettings settings;
  private final LoadCounters counters = new LoadCounters();
  private final ServiceSeconds window = new ServiceSeconds();
  private final ResendQueue resends = new ResendQueue(counters);
  private final BatchSender sender;

  private final AtomicLong nextReadingId = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private final List<Thread> workers = new ArrayList<>();

  private volatile boolean generating;
  private volatile boolean running;

  LoadDriver(Supplier<List<String>> nodes, HarnessSettings settings, AckLog acks) {
    this.settings = settings;
    this.sender =
        new BatchSender(settings, acks, new NodeRotation(nodes), resends, counters, window);
  }

  void start() {
    window.start();
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
    window.end();
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
    resends.abandonAll();
    return drained;
  }

  long pendingItems() {
    return resends.pendingItems();
  }

  /** Seconds of the load phase (start to {@link #stopGenerating}) in which no request got a 202. */
  long secondsWithoutService() {
    return window.secondsWithoutService();
  }

  /**
   * Seconds of the load phase in which not a single reading was acknowledged (not even by a partial
   * 503).
   */
  long secondsWithoutAnyAck() {
    return window.secondsWithoutAnyAck();
  }

  /** The longest run of consecutive seconds without service. */
  long longestOutage() {
    return window.longestOutage();
  }

  /** 503 replies so far (with or without {@code unconfirmed}). */
  long refused503() {
    return counters.refused503.get();
  }

  List<String> samples() {
    return counters.samples();
  }

  List<String> refusals() {
    return counters.refusals().stream().map(LoadCounters.Refusal::text).toList();
  }

  /** Seconds since the load started, to mark the start and end of a fault. */
  double sinceStart() {
    return window.sinceStart();
  }

  /** Whole seconds in {@code [from, to)} (seconds since the load started) without a 202. */
  long secondsWithoutServiceBetween(double from, double to) {
    return window.secondsWithoutServiceBetween(from, to);
  }

  /** The 503s between {@code from} and {@code to} that told the client to wait. */
  List<String> refusalsToWaitOut(double from, double to) {
    return counters.refusals().stream()
        .filter(r -> r.toWaitOut() && r.at() >= from && r.at() <= to)
        .map(LoadCounters.Refusal::text)
        .toList();
  }

  List<String> slow() {
    return counters.slow();
  }

  String summary() {
    return counters.summary(window);
  }

  private void work() {
    while (running) {
      PendingBatch p = resends.next();
      if (p == null && generating) {
        p = newBatch();
      }
      if (p == null) {
        NetworkNamespaces.sleep(50);
        continue;
      }
      inFlight.incrementAndGet();
      try {
        sender.send(p);
      } finally {
        inFlight.decrementAndGet();
      }
      NetworkNamespaces.sleep(settings.pauseBetweenRequests().toMillis());
    }
  }

  private PendingBatch newBatch() {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    List<Item> items = new ArrayList<>(settings.batchSize());
    String ts = Instant.now().toString();
    for (int i = 0; i < settings.batchSize(); i++) {
      String sensor = String.format("s-%04d", rnd.nextInt(settings.sensors()));
      String id = runId + "-" + nextReadingId.incrementAndGet();
      items.add(new Item(sensor, id, ts, Math.round(rnd.nextDouble(-20, 40) * 100) / 100.0));
    }
    counters.sentItems.addAndGet(items.size());
    return new PendingBatch(items, 0, null, System.nanoTime(), 0);
  }

  @Override
  public void close() {
    running = false;
    generating = false;
  }
}
