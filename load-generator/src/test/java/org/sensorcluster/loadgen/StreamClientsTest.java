package org.sensorcluster.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code streams} mode against a small SSE server of the JDK: framing (comments, multi-line
 * data, ids), counting per client, the latency of readings events, disconnects and refusals. The
 * fake ends every stream itself, so a run ends when its streams did (no wall-clock thresholds).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamClientsTest {

  private static final String TOKEN = "sct_test-streams";

  @Test
  void theParserFramesEventsLikeABrowser() {
    List<SseParser.Event> events = new ArrayList<>();
    SseParser parser = new SseParser(events::add);
    for (String line :
        List.of(
            ": keep-alive",
            "",
            "id: 7",
            "event: ready",
            "data: {}",
            "",
            "id:8",
            "event: alert-raised",
            "data: {\"a\":",
            "data: 1}",
            "",
            "data: plain",
            "retry: 10",
            "",
            "",
            "event: x",
            "")) {
      parser.line(line);
    }
    assertEquals(
        List.of(
            new SseParser.Event("7", "ready", "{}"),
            new SseParser.Event("8", "alert-raised", "{\"a\":\n1}"),
            new SseParser.Event(null, "message", "plain"),
            new SseParser.Event(null, "x", "")),
        events);
    assertEquals(1, parser.comments());
  }

  @Test
  void recordedAtIsReadFromAReadingsEvent() {
    Instant at = Instant.parse("2026-12-04T10:15:30.123Z");
    assertEquals(
        at.toEpochMilli(),
        StreamClient.recordedAt(
            "{\"sensorId\":\"s-1\",\"recordedAt\":\"" + at + "\",\"readings\":[]}"));
    assertEquals(0, StreamClient.recordedAt("{\"sensorId\":\"s-1\"}"));
    assertEquals(0, StreamClient.recordedAt("{\"recordedAt\":\"yesterday\"}"));
    assertEquals(0, StreamClient.recordedAt("{\"recordedAt\":\"2026"));
  }

  @Test
  void countsTheEventsOfEveryClientAndTheStreamsTheServerEndedOrRefused() throws Exception {
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    try (SseServer server =
        new SseServer(
            exchange -> {
              seen.add(
                  exchange.getRequestURI().getPath()
                      + " "
                      + exchange.getRequestHeaders().getFirst("Authorization")
                      + " "
                      + exchange.getRequestHeaders().getFirst("Accept"));
              if (exchange.getRequestURI().getPath().startsWith("/refused")) {
                exchange.sendResponseHeaders(401, -1);
                return;
              }
              String now = Instant.now().toString();
              exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
              exchange.sendResponseHeaders(200, 0);
              try (OutputStream out = exchange.getResponseBody()) {
                write(out, ": keep-alive\n\nid: 1\nevent: ready\ndata: {}\n\n");
                write(
                    out,
                    "id: 2\r\nevent: readings\r\ndata: {\"sensorId\":\"s\",\"recordedAt\":\""
                        + now
                        + "\",\"readings\":[{\"readingId\":\"r1\",\"value\":1}]}\r\n\r\n");
                write(
                    out,
                    "id: 3\nevent: readings\ndata: {\"sensorId\":\"s\",\"recordedAt\":\""
                        + now
                        + "\",\n"
                        + "data: \"readings\":[]}\n\n");
                write(out, "id: 4\nevent: alert-raised\ndata: {\"alertNumber\":1}\n\n");
              }
            })) {
      StreamSettings settings =
          StreamSettings.parse(
              new String[] {
                "--url",
                server.url().toString(),
                "--clients",
                "3",
                "--path",
                "/api/v1/sensors/s-{i}/stream",
                "--group",
                "2:/refused",
                "--connect-rate",
                "0",
                "--duration",
                "120",
                "--token",
                TOKEN,
                "--label",
                "fake"
              });
      StreamResult result = new StreamClients(settings).run();

      StreamGroupResult streams = result.groups().get(0);
      assertEquals(3, streams.clients());
      assertEquals(3, streams.connected());
      assertEquals(0, streams.refused());
      assertEquals(3, streams.disconnects(), "the server ended each stream");
      assertEquals(3, streams.eventsMin(), "two readings events and an alert, ready not counted");
      assertEquals(3, streams.eventsMax());
      assertEquals(9, streams.eventsTotal());
      assertEquals(6, streams.latencyCount());
      assertTrue(streams.latencyP99Ms() >= 0);

      StreamGroupResult refused = result.groups().get(1);
      assertEquals(2, refused.refused());
      assertEquals(Map.of(401, 2), refused.refusedByStatus());
      assertEquals(0, refused.connected());
      assertEquals(0, refused.disconnects());
      assertEquals(0, refused.failed());
      assertEquals(0, streams.failed());
      assertEquals(0, refused.latencyCount());

      Set<String> requests = new TreeSet<>(seen);
      assertEquals(
          new TreeSet<>(
              List.of(
                  "/api/v1/sensors/s-0/stream Bearer " + TOKEN + " text/event-stream",
                  "/api/v1/sensors/s-1/stream Bearer " + TOKEN + " text/event-stream",
                  "/api/v1/sensors/s-2/stream Bearer " + TOKEN + " text/event-stream",
                  "/refused Bearer " + TOKEN + " text/event-stream")),
          requests);

      JsonNode json = new ObjectMapper().readTree(result.json());
      assertEquals("streams", json.path("type").asText());
      assertEquals("fake", json.path("label").asText());
      assertEquals(3, json.path("groups").get(0).path("connected").asInt());
      assertEquals(9, json.path("groups").get(0).path("events_total").asLong());
      assertTrue(result.text().contains("3 connected"), result::text);
    }
  }

  @Test
  void theCommandLineNeedsAnHttpUrlAndKnownOptions() {
    assertThrows(
        IllegalArgumentException.class,
        () -> StreamSettings.parse(new String[] {"--clients", "3"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> StreamSettings.parse(new String[] {"--url", "ftp://x"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> StreamSettings.parse(new String[] {"--url", "http://h:1", "--colour", "red"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> StreamSettings.parse(new String[] {"--url", "http://h:1", "--group", "/x"}));
    StreamSettings s =
        StreamSettings.parse(
            new String[] {
              "--url",
              "http://h:1",
              "--clients",
              "0",
              "--group",
              "5:/api/v1/alerts/stream",
              "--duration",
              "1.5",
              "--token",
              "t"
            });
    assertEquals(List.of(new StreamGroup(5, "/api/v1/alerts/stream")), s.groups());
    assertEquals(Duration.ofMillis(1500), s.duration());
    assertEquals("t", s.token());
    assertEquals(
        "/api/v1/sensors/s-4/stream", new StreamGroup(1, "/api/v1/sensors/s-{i}/stream").pathOf(4));
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  /** A JDK HTTP server answering every request with {@code handler}. */
  static final class SseServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    SseServer(Handler handler) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
      server.setExecutor(executor);
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              handler.handle(exchange);
            }
          });
      server.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
