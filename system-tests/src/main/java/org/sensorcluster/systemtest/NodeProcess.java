package org.sensorcluster.systemtest;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
  private final NodeEndpoints endpoints;
  private final NodeLog nodeLog;
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
    this.endpoints = new NodeEndpoints(ip);
    this.nodeLog = new NodeLog(log, name());
    this.env = new LinkedHashMap<>(nodeEnv);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String heap = "-Xmx" + settings.nodeHeap();
    String jar = settings.nodeJar().toString();
    this.command = List.of("setsid", "ip", "netns", "exec", namespace, java, heap, "-jar", jar);
  }

  String name() {
    return "node" + index;
  }

  String baseUrl() {
    return endpoints.baseUrl();
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
    endpoints.restarted();
  }

  /** Whether the load goes to this node: it runs, and {@link NodeEndpoints#inRotation}. */
  boolean inRotation(HttpClient http) {
    return isRunning() && endpoints.inRotation(http);
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
    return endpoints.ready(http);
  }

  java.util.Optional<HttpResponse<String>> get(HttpClient http, String path) {
    return endpoints.get(http, path);
  }

  /**
   * POSTs {@code json} (one reading) to the node's {@code /api/v1/sensors/{sensor}/readings}; empty
   * when no reply came.
   */
  java.util.Optional<HttpResponse<String>> postReading(
      HttpClient http, String sensor, String json, Duration timeout) {
    return endpoints.postReading(http, sensor, json, timeout);
  }

  java.net.http.HttpRequest readingRequest(String sensor, String json, Duration timeout) {
    return endpoints.readingRequest(sensor, json, timeout);
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
    nodeLog.mark(what);
  }

  /** Log lines matching any of {@code needles} (case-insensitive), at most {@code max}. */
  List<String> grepLog(int max, String... needles) {
    return nodeLog.grep(max, needles);
  }
}
