package org.sensorcluster.systemtest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;

/**
 * The nodes' way to the host's PostgreSQL: {@code socat} listening on the bridge address ({@code
 * <subnet>.1:5432}) and forwarding each connection to 127.0.0.1:5432 (inside a namespace, 127.0.0.1
 * is the namespace's own loopback). socat runs in a session of its own, so {@link #stop} ends the
 * listener and every forked connection at once: the nodes' connections are closed and new ones are
 * refused, as when the database server restarts.
 */
final class DatabaseProxy implements AutoCloseable {

  private final String listenIp;
  private final Path log;
  private Process process;

  DatabaseProxy(String listenIp, Path log) {
    this.listenIp = listenIp;
    this.log = log;
  }

  synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    String port = ScenarioDatabase.PORT;
    List<String> cmd =
        List.of(
            "setsid",
            "socat",
            "TCP-LISTEN:" + port + ",bind=" + listenIp + ",reuseaddr,fork,backlog=256",
            "TCP:" + ScenarioDatabase.HOST + ":" + port);
    try {
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start socat: " + e, e);
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(listenIp, Integer.parseInt(port)), 500);
        System.out.println(
            "[faults] database forwarder "
                + listenIp
                + ":"
                + port
                + " -> "
                + ScenarioDatabase.HOST
                + ":"
                + port
                + " (socat pid "
                + process.pid()
                + ")");
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "socat exited with " + process.exitValue() + "; see " + log);
        }
        NetworkNamespaces.sleep(50);
      }
    }
    throw new IllegalStateException(
        "socat does not listen on " + listenIp + ":" + port + "; see " + log);
  }

  /** Ends the forwarder and all its forwarded connections. */
  synchronized void stop() {
    if (process == null) {
      return;
    }
    long pgid = process.pid();
    Shell.run("kill", "-KILL", "--", "-" + pgid);
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    stop();
  }
}
