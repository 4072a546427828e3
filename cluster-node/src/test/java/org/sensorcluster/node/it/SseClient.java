package org.sensorcluster.node.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Server-Sent Events client over {@link HttpClient}: the events of one open stream, as they
 * arrive, without a thread of its own; {@link #close()} drops the connection.
 */
final class SseClient implements AutoCloseable {

  /** One event (comments are not events). */
  record Event(String id, String type, String data) {}

  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> status = new CompletableFuture<>();
  private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
  private final Consumer<Event> listener;

  private SseClient(Consumer<Event> listener) {
    this.listener = listener;
  }

  /**
   * Opens {@code path} (below the node's root) with the tests' admin token, and Last-Event-ID when
   * not null.
   */
  static SseClient open(
      HttpClient http, int port, String path, String lastEventId, Consumer<Event> listener) {
    SseClient c = new SseClient(listener);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + TestNodes.ADMIN_TOKEN)
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    http.sendAsync(
            b.GET().build(),
            info -> {
              c.status.complete(info.statusCode());
              return HttpResponse.BodySubscribers.fromLineSubscriber(c.new Lines());
            })
        .exceptionally(
            e -> {
              c.status.completeExceptionally(e);
              return null;
            });
    return c;
  }

  static SseClient open(HttpClient http, int port, String path, String lastEventId) {
    return open(http, port, path, lastEventId, e -> {});
  }

  int status() throws Exception {
    return status.get(10, TimeUnit.SECONDS);
  }

  /** The next event, waiting at most {@code timeout}; null when none came. */
  Event next(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next {@code n} events of {@code type} (others skipped), each within {@code timeout}. */
  List<Event> next(int n, String type, Duration timeout) throws InterruptedException {
    List<Event> out = new ArrayList<>();
    while (out.size() < n) {
      Event e = next(timeout);
      if (e == null) {
        throw new AssertionError("no " + type + " event within " + timeout + " after " + out);
      }
      if (e.type().equals(type)) {
        out.add(e);
      }
    }
    return out;
  }

  @Override
  public void close() {
    subscription.thenAccept(Flow.Subscription::cancel);
  }

  private final class Lines implements Flow.Subscriber<String> {
    private String id;
    private String type;
    private StringBuilder data;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription.complete(s);
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (line.isEmpty()) {
        if (data != null) {
          Event e = new Event(id, type == null ? "message" : type, data.toString());
          events.add(e);
          listener.accept(e);
        }
        id = null;
        type = null;
        data = null;
        return;
      }
      int colon = line.indexOf(':');
      if (colon == 0) {
        return; // a comment: the heartbeat
      }
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      value = value.startsWith(" ") ? value.substring(1) : value;
      switch (field) {
        case "id" -> id = value;
        case "event" -> type = value;
        case "data" ->
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> {}
      }
    }

    @Override
    public void onError(Throwable t) {
      status.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      // the server ended the stream
    }
  }
}
