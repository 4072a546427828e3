package org.sensorcluster.systemtest;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One real node: {@code setsid ip netns exec <ns> java -Xmx384m -jar sensor-node.jar}, in a session
 * (and so a process group) of its own whose id is the JVM's pid ({@code setsid} and {@code ip netns
 * exec} both exec, neither forks). stdout and stderr are appended to one log file per node; every
 * start is marked in it. Signals go to the whole process group.
 */
final class NodeProcess {

  static final int HTTP_PORT = 8080;
  static final int MANAGEMENT_PORT = 8558;
  static final int REMOTE_PORT = 25520;

  final int index;
  final String namespace;
  final String ip;
  final Path log;
  private final Map<String, String> env;
  private final List<String> command;
  private Process process;
  private int starts;

  /**
   * set while the harness itself stopped the node (kill -9, SIGTERM): the orchestrator leaves it
   * alone
   */
  private volatile boolean held;

  private volatile boolean frozen;

  NodeProcess(
      int index,
      String namespace,
      String ip,
      Path log,
      Map<String, String> nodeEnv,
      HarnessSettings settings) {
    this.index = index;
    this.namespace = namespace;
    this.ip = ip;
    this.log = log;
    this.env = new LinkedHashMap<>(nodeEnv);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.command =
        List.of(
            "setsid",
            "ip",
            "netns",
            "exec",
            namespace,
            java,
            "-Xmx" + settings.nodeHeap(),
            "-jar",
            settings.nodeJar().toString());
  }

  String name() {
    return "node" + index;
  }

  String baseUrl() {
    return "http://" + ip + ":" + HTTP_PORT;
  }

  Map<String, String> env() {
    return env;
  }

  synchronized void start() {
    if (isRunning()) {
      throw new IllegalStateException(name() + " is already running");
    }
    starts++;
    mark("start #" + starts + ": " + String.join(" ", command));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // a clean environment: nothing of the build's (e.g. CI, MAVEN_OPTS) leaks into the node
    pb.environment().clear();
    pb.environment()
        .put("PATH", System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
    pb.environment().put("HOME", System.getProperty("java.io.tmpdir"));
    pb.environment().put("LANG", "C.UTF-8");
    pb.environment().putAll(env);
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name() + ": " + e, e);
    }
    held = false;
    frozen = false;
  }

  synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Exit code of the last run, or null while it runs / before the first start. */
  synchronized Integer exitCode() {
    return process == null || process.isAlive() ? null : process.exitValue();
  }

  long pid() {
    return process == null ? -1 : process.pid();
  }

  int starts() {
    return starts;
  }

  boolean held() {
    return held;
  }

  boolean frozen() {
    return frozen;
  }

  /** Crash: SIGKILL to the process group; waits until it is gone. */
  void kill9() {
    held = true;
    mark("kill -9 (process group " + pid() + ")");
    signal("KILL");
    waitForExit(Duration.ofSeconds(10));
  }

  /**
   * SIGTERM and wait for the exit (coordinated shutdown); returns the exit code, or null on
   * timeout.
   */
  Integer terminate(Duration timeout) {
    held = true;
    mark("SIGTERM");
    signal("TERM");
    return waitForExit(timeout);
  }

  void freeze() {
    frozen = true;
    mark("SIGSTOP");
    signal("STOP");
  }

  void resume() {
    mark("SIGCONT");
    signal("CONT");
    frozen = false;
  }

  /** Kills whatever is left at the end of a scenario. */
  void destroy() {
    if (isRunning()) {
      held = true;
      signal("CONT");
      signal("KILL");
      waitForExit(Duration.ofSeconds(10));
    }
  }

  Integer waitForExit(Duration timeout) {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p == null) {
      return null;
    }
    try {
      if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return p.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  private void signal(String sig) {
    long pgid = pid();
    if (pgid > 0) {
      Shell.run("kill", "-" + sig, "--", "-" + pgid);
    }
  }

  /** True when {@code /ready} answers 200 (polled from the root namespace over the bridge). */
  boolean ready(HttpClient http) {
    return get(http, "/ready").map(r -> r.statusCode() == 200).orElse(false);
  }

  java.util.Optional<HttpResponse<String>> get(HttpClient http, String path) {
    try {
      return java.util.Optional.of(
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + ip + ":" + MANAGEMENT_PORT + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  /**
   * POSTs {@code json} (one reading) to the node's {@code /api/v1/sensors/{sensor}/readings}; empty
   * when no reply came.
   */
  java.util.Optional<HttpResponse<String>> postReading(
      HttpClient http, String sensor, String json, Duration timeout) {
    try {
      return java.util.Optional.of(
          http.send(
              HttpRequest.newBuilder(
                      URI.create(baseUrl() + "/api/v1/sensors/" + sensor + "/readings"))
                  .timeout(timeout)
                  .header("Content-Type", "application/json")
                  .header(SuiteToken.HEADER, SuiteToken.bearer())
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  /** Waits until the node answers ready; false when it exited or the time ran out. */
  boolean awaitReady(HttpClient http, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!isRunning()) {
        return false;
      }
      if (ready(http)) {
        return true;
      }
      NetworkNamespaces.sleep(250);
    }
    return false;
  }

  /**
   * A line in the node's log, so the harness's actions can be read next to the node's own lines.
   */
  void mark(String what) {
    try {
      Files.writeString(
          log,
          "=== harness " + Instant.now() + " " + name() + ": " + what + " ===\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // the log is for people; never fail a scenario on it
    }
  }

  /** Log lines matching any of {@code needles} (case-insensitive), at most {@code max}. */
  List<String> grepLog(int max, String... needles) {
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        String l = line.toLowerCase();
        for (String n : needles) {
          if (l.contains(n.toLowerCase())) {
            out.add(line.length() > 400 ? line.substring(0, 400) + "..." : line);
            break;
          }
        }
        if (out.size() >= max) {
          break;
        }
      }
    } catch (IOException | java.io.UncheckedIOException ignored) {
      // unreadable: nothing to report
    }
    return out;
  }
}
