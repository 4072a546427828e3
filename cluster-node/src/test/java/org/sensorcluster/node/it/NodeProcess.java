package org.sensorcluster.node.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node as a separate JVM process ({@code org.sensorcluster.node.Main}), as an operator runs it.
 */
final class NodeProcess implements AutoCloseable {

  final int httpPort;
  final int managementPort;
  final int remotePort;
  final Path log;
  private final Map<String, String> env;
  private Process process;

  NodeProcess(Map<String, String> env, Path log) {
    this.httpPort = freePort();
    this.managementPort = freePort();
    this.remotePort = freePort();
    this.log = log;
    this.env = new java.util.HashMap<>(env);
    this.env.put("SENSORS_HTTP_HOST", "127.0.0.1");
    this.env.put("SENSORS_HTTP_PORT", Integer.toString(httpPort));
    this.env.put("SENSORS_MANAGEMENT_PORT", Integer.toString(managementPort));
    this.env.put("SENSORS_REMOTE_PORT", Integer.toString(remotePort));
    this.env.put("SENSORS_REMOTE_HOST", "127.0.0.1");
    this.env.putIfAbsent("SENSORS_ADMIN_TOKEN", TestNodes.ADMIN_TOKEN);
  }

  /**
   * The environment of a node on {@code pg}'s database: its URL and credentials, {@code logLevel},
   * and pools small enough (6 + 3 connections) for several nodes within PostgreSQL's default 100.
   * Mutable: tests add their own settings.
   */
  static Map<String, String> postgresEnv(
      org.sensorcluster.testing.TestPostgres pg, String logLevel) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("SENSORS_DB_URL", pg.url());
    env.put("SENSORS_DB_USER", pg.user());
    env.put("SENSORS_DB_PASSWORD", pg.password());
    env.put("SENSORS_LOG_LEVEL", logLevel);
    env.put("SENSORS_DB_JOURNAL_MAX_CONNECTIONS", "6");
    env.put("SENSORS_DB_READ_MODEL_MAX_CONNECTIONS", "3");
    return env;
  }

  /** Starts the process and waits until {@code /ready} answers 200. */
  void start(Duration timeout) throws Exception {
    launch();
    awaitReady(timeout);
  }

  /** Sets (or replaces) an environment variable of the next {@link #launch}. */
  void setEnv(String key, String value) {
    env.put(key, value);
  }

  /** Starts the process without waiting for it. */
  void launch() throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-cp",
                classpath,
                "org.sensorcluster.node.Main"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    process = pb.start();
  }

  /**
   * Waits until {@code /ready} answers 200; fails when the process exits or {@code timeout} passes.
   */
  void awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "node exited with " + process.exitValue() + " during start; log: " + tail());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/ready"))
                    .timeout(Duration.ofSeconds(1))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("node not ready within " + timeout + "; log: " + tail());
  }

  /** Sends SIGTERM and waits for the process to exit; returns its exit code. */
  int terminate(Duration timeout) throws Exception {
    process.destroy(); // SIGTERM on Linux
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "node did not exit within " + timeout + " of SIGTERM; log: " + tail());
    }
    return process.exitValue();
  }

  /** The members this node's management endpoint reports Up now; -1 when it does not answer. */
  int upMembers() {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + managementPort + "/cluster/members"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return -1;
      }
      int up = 0;
      for (com.fasterxml.jackson.databind.JsonNode m :
          ApiClient.JSON.readTree(r.body()).path("members")) {
        if ("Up".equals(m.path("status").asText())) {
          up++;
        }
      }
      return up;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Members Up as this node sees them, once they reach {@code expected} (or when {@code timeout}
   * passed).
   */
  int awaitUpMembers(int expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int up = upMembers();
    while (up != expected && System.nanoTime() < deadline) {
      Thread.sleep(250);
      up = upMembers();
    }
    return up;
  }

  /** Whether {@code /ready} answers 200 now. */
  boolean ready() {
    try {
      return HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + managementPort + "/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /**
   * A port below the kernel's ephemeral range (32768-60999 by default) that is free now. A port the
   * kernel hands out for {@code new ServerSocket(0)} comes from the ephemeral range, which is also
   * where the outgoing connections of the nodes started a moment earlier (JDBC, Artery) take their
   * local ports: one of them could take it before the node meant for it binds ("Bind failed").
   * Below the range only listeners that ask for a port explicitly compete, and this counter hands
   * each out once.
   */
  static int freePort() {
    for (int tries = 0; tries < 2_000; tries++) {
      int port = NEXT_PORT.getAndUpdate(p -> p >= 32_000 ? 20_000 : p + 1);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException taken) {
        // in use: try the next one
      }
    }
    throw new IllegalStateException("no free port in 20000-32000");
  }

  private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT =
      new java.util.concurrent.atomic.AtomicInteger(
          20_000 + (int) (ProcessHandle.current().pid() * 97 % 12_000));

  static Path logFile(String name) throws IOException {
    Path dir = Path.of("target", "node-logs");
    Files.createDirectories(dir);
    Path f = dir.resolve(name + ".log");
    Files.deleteIfExists(f);
    return f.toAbsolutePath();
  }
}
