package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sensorcluster.http.ApiRoutes;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.node.entity.SensorEntity;
import org.slf4j.LoggerFactory;

/**
 * A request's correlation id reaches the log lines of the HTTP layer, of the sensor entity that
 * stored its readings and of the projection that wrote them to the read model; and the production
 * logback configuration with {@code SENSORS_LOG_FORMAT=json} writes those lines as JSON objects
 * with the id in the MDC and without the raw log arguments.
 */
class CorrelatedLogsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LOGGERS =
      List.of(
          ApiRoutes.class.getName(),
          SensorEntity.class.getName(),
          "org.sensorcluster.projections.ReadingsHandler");

  @TempDir Path dataDir;
  private SensorNode node;
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
    for (String name : LOGGERS) {
      Logger l = (Logger) LoggerFactory.getLogger(name);
      l.detachAppender(captured);
      l.setLevel(null);
    }
  }

  @Test
  void theRequestIdIsInTheHttpEntityAndProjectionLogLines() throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    captured.setContext(ctx);
    captured.start();
    for (String name : LOGGERS) {
      Logger l = (Logger) LoggerFactory.getLogger(name);
      l.setLevel(Level.DEBUG);
      l.addAppender(captured);
    }
    node = TestNodes.start(TestNodes.h2(dataDir));

    HttpResponse<String> single =
        post("/api/v1/sensors/log-sensor-1/readings", "{\"value\": 3.5}", "trace-single-1");
    assertEquals(202, single.statusCode(), single.body());
    assertEquals("trace-single-1", single.headers().firstValue("X-Request-Id").orElse(null));
    HttpResponse<String> batch =
        post(
            "/api/v1/readings",
            "[{\"sensorId\":\"log-sensor-2\",\"value\":1},{\"sensorId\":\"log-sensor-3\",\"value\":2}]",
            "trace-batch-1");
    assertEquals(202, batch.statusCode(), batch.body());

    awaitLoggersWithId("trace-single-1", Set.copyOf(LOGGERS));
    awaitLoggersWithId("trace-batch-1", Set.copyOf(LOGGERS));
    for (ILoggingEvent e : snapshot()) {
      assertFalse(
          e.getFormattedMessage().contains("3.5"),
          "a reading's value in a log line: " + e.getFormattedMessage());
    }

    // the same lines through the production logback.xml in JSON mode
    ILoggingEvent entityLine =
        snapshot().stream()
            .filter(e -> e.getLoggerName().equals(SensorEntity.class.getName()))
            .filter(e -> "trace-single-1".equals(e.getMDCPropertyMap().get("requestId")))
            .findFirst()
            .orElseThrow();
    Encoder<ILoggingEvent> encoder = productionEncoder("json");
    String line = new String(encoder.encode(entityLine), StandardCharsets.UTF_8);
    assertTrue(
        line.endsWith("\n") && line.indexOf('\n') == line.length() - 1,
        "one line per event: " + line);
    JsonNode json = JSON.readTree(line);
    assertEquals("trace-single-1", json.path("mdc").path("requestId").asText(), line);
    assertEquals("DEBUG", json.path("level").asText());
    assertEquals(SensorEntity.class.getName(), json.path("loggerName").asText());
    assertTrue(json.path("formattedMessage").asText().contains("log-sensor-1"), line);
    assertFalse(json.has("arguments"), "raw arguments must not be logged: " + line);
    assertTrue(json.path("timestamp").asLong() > 0, line);

    // and text mode (the default) prints the id on the line
    String text = new String(productionEncoder("text").encode(entityLine), StandardCharsets.UTF_8);
    assertTrue(text.contains("trace-single-1") && !text.startsWith("{"), text);
  }

  /**
   * POSTs; a 503 (a cold node on a loaded machine can miss the 5 s ask timeout) is retried as a
   * client would.
   */
  private HttpResponse<String> post(String path, String body, String requestId) throws Exception {
    HttpResponse<String> r = postOnce(path, body, requestId);
    for (int attempt = 1; r.statusCode() == 503 && attempt < 5; attempt++) {
      Thread.sleep(1000);
      r = postOnce(path, body, requestId);
    }
    return r;
  }

  private HttpResponse<String> postOnce(String path, String body, String requestId)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestNodes.ADMIN_TOKEN)
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private List<ILoggingEvent> snapshot() {
    synchronized (captured) {
      return List.copyOf(captured.list);
    }
  }

  private void awaitLoggersWithId(String requestId, Set<String> loggers)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Set<String> seen = new TreeSet<>();
    while (System.nanoTime() < deadline) {
      seen.clear();
      for (ILoggingEvent e : snapshot()) {
        if (requestId.equals(e.getMDCPropertyMap().get("requestId"))) {
          seen.add(e.getLoggerName());
        }
      }
      if (seen.containsAll(loggers)) {
        return;
      }
      Thread.sleep(100);
    }
    fail("log lines with requestId " + requestId + " only from " + seen + ", expected " + loggers);
  }

  /** The encoder the shipped logback.xml configures for {@code SENSORS_LOG_FORMAT=format}. */
  @SuppressWarnings("unchecked")
  private static Encoder<ILoggingEvent> productionEncoder(String format) throws Exception {
    LoggerContext ctx = new LoggerContext();
    ctx.putProperty("SENSORS_LOG_FORMAT", format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(ctx);
    configurator.doConfigure(SensorNode.class.getResource("/logback.xml"));
    OutputStreamAppender<ILoggingEvent> console =
        (OutputStreamAppender<ILoggingEvent>)
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("console");
    if (console == null) {
      fail(
          "logback.xml with SENSORS_LOG_FORMAT="
              + format
              + " attaches no 'console' appender to the root logger");
    }
    return console.getEncoder();
  }
}
