package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code rebuild} command against a stand-in for a node's admin routes. */
class RebuildCommandTest {

  private HttpServer server;
  private final List<String> requests = new ArrayList<>();
  private final AtomicInteger polls = new AtomicInteger();
  private volatile int rebuildStatus = 202;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/admin/projections", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    synchronized (requests) {
      requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
    }
    String body;
    int status = 200;
    if (ex.getRequestMethod().equals("POST")) {
      status = rebuildStatus;
      body =
          status == 202
              ? "{\"name\":\"alerts\",\"generation\":3,\"state\":\"rebuilding\"}"
              : "{\"type\":\"x\",\"status\":409,\"detail\":\"alerts is already rebuilding\"}";
    } else if (polls.incrementAndGet() < 3) {
      body =
          "{\"projections\":[{\"name\":\"alerts\",\"tag\":\"sensor-0\",\"generation\":2,\"state\":\"running\"},"
              + "{\"name\":\"alerts\",\"tag\":\"sensor-0\",\"generation\":3,\"state\":\"rebuilding\",\"lagEvents\":500,"
              + "\"eventsPerSecond\":1000.0}]}";
    } else {
      body =
          "{\"projections\":[{\"name\":\"alerts\",\"tag\":\"sensor-0\",\"generation\":3,\"state\":\"running\"}]}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void startsTheRebuildAndFollowsItUntilTheNewGenerationIsLive() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        RebuildCommand.main(
            new String[] {"rebuild", "alerts", "--url", url()},
            new PrintStream(out, true),
            new PrintStream(err, true));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, err::toString);
    assertTrue(printed.contains("rebuilding alerts into generation 3"), printed);
    assertTrue(printed.contains("0/1 tags caught up, 500+ events behind"), printed);
    assertTrue(printed.contains("alerts generation 3 is live"), printed);
    assertEquals("POST /api/v1/admin/projections/alerts/rebuild", requests.get(0));
  }

  @Test
  void aRefusedRebuildExitsNonZeroWithTheReason() {
    rebuildStatus = 409;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        RebuildCommand.main(
            new String[] {"rebuild", "alerts", "--url", url()},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true));
    assertEquals(1, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("already rebuilding"), err::toString);
  }

  @Test
  void usageErrorsExitWith2() {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    assertEquals(2, RebuildCommand.main(new String[] {"rebuild"}, sink, sink));
    assertEquals(2, RebuildCommand.main(new String[] {"rebuild", "a", "b"}, sink, sink));
    assertEquals(2, RebuildCommand.main(new String[] {"rebuild", "a", "--url"}, sink, sink));
  }
}
