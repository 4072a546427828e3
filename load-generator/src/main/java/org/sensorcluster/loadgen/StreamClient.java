package org.sensorcluster.loadgen;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * One stream of {@link StreamClients}: counts its events; ended when the node closed it or the
 * connection failed.
 */
final class StreamClient implements Flow.Subscriber<String> {
  final int group;
  final SseParser parser = new SseParser(this::event);
  final AtomicLong events = new AtomicLong();
  volatile boolean ready;
  volatile boolean ended;
  volatile boolean endedBeforeStop;
  volatile int status;
  volatile Flow.Subscription subscription;

  private final Histogram latencies; // the group's delivery latencies of readings events
  private final CountDownLatch settled; // each client: ready, or ended before
  private final CountDownLatch open; // each client: ended
  private final BooleanSupplier stopping; // whether the run is ending its streams itself

  StreamClient(
      int group,
      Histogram latencies,
      CountDownLatch settled,
      CountDownLatch open,
      BooleanSupplier stopping) {
    this.group = group;
    this.latencies = latencies;
    this.settled = settled;
    this.open = open;
    this.stopping = stopping;
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
      endedBeforeStop = !stopping.getAsBoolean();
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
        latencies.recordValue(Math.max(0, System.currentTimeMillis() - at));
      }
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
}
