package org.sensorcluster.loadgen;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real HTTP server (JDK {@code com.sun.net.httpserver}) standing in for the node in the
 * load generator's tests: every request is handed to a {@link Behaviour} that decides status, body
 * and delay, and its arrival time is kept.
 */
final class FakeIngestServer implements AutoCloseable {

  /**
   * A request as the server saw it; {@code number} counts from 0 in arrival order; {@code
   * authorization} is its Authorization header (null when it had none).
   */
  record Request(
      int number,
      long arrivalNanos,
      String path,
      String contentType,
      String body,
      String method,
      String authorization) {}

  /** What to answer: status, JSON body, and how long to sleep first. */
  record Answer(int status, String body, long delayMillis) {}

  interface Behaviour {
    Answer answer(Request request) throws Exception;
  }

  static {
    // The JDK server writes a reply's head and body separately; without TCP_NODELAY, Nagle plus the
    // client's delayed ACK add ~40 ms to every reply, and the tests would measure that instead.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger counter = new AtomicInteger();
  final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();

  FakeIngestServer(int threads, Behaviour behaviour) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    executor = Executors.newFixedThreadPool(threads);
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(exchange, behaviour));
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Request> received() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange, Behaviour behaviour) throws IOException {
    long arrival = System.nanoTime();
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request request =
          new Request(
              counter.getAndIncrement(),
              arrival,
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              body,
              exchange.getRequestMethod(),
              exchange.getRequestHeaders().getFirst("Authorization"));
      requests.add(request);
      Answer answer;
      try {
        answer = behaviour.answer(request);
        if (answer.delayMillis() > 0) Thread.sleep(answer.delayMillis());
      } catch (Exception e) {
        answer = new Answer(500, "{\"error\":\"" + e + "\"}", 0);
      }
      byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    }
  }

  static Answer accepted(int accepted) {
    return new Answer(202, "{\"accepted\":" + accepted + ",\"duplicates\":0}", 0);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
