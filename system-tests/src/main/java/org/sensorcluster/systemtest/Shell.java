package org.sensorcluster.systemtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs short host commands ({@code ip}, {@code iptables-restore}, {@code kill}) and captures their
 * output.
 */
final class Shell {

  private Shell() {}

  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  /** Runs {@code cmd}, feeding {@code stdin} (may be null), stderr merged into the output. */
  static Result run(String stdin, Duration timeout, List<String> cmd) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Thread reader = new Thread(() -> copy(p.getInputStream(), out), "shell-out");
      reader.setDaemon(true);
      reader.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", cmd));
      }
      reader.join(1000);
      synchronized (out) {
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      return new Result(-2, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-3, "interrupted");
    }
  }

  static Result run(String... cmd) {
    return run(null, Duration.ofSeconds(30), List.of(cmd));
  }

  /** Runs {@code cmd} and fails unless it exits 0. */
  static String ok(String... cmd) {
    Result r = run(cmd);
    if (!r.ok()) {
      throw new IllegalStateException(
          "command failed (" + r.exit() + "): " + String.join(" ", cmd) + "\n" + r.output());
    }
    return r.output();
  }

  /** Runs {@code cmd} with {@code stdin} and fails unless it exits 0. */
  static String okWithInput(String stdin, String... cmd) {
    Result r = run(stdin, Duration.ofSeconds(30), List.of(cmd));
    if (!r.ok()) {
      throw new IllegalStateException(
          "command failed ("
              + r.exit()
              + "): "
              + String.join(" ", cmd)
              + "\n--- input ---\n"
              + stdin
              + "\n--- output ---\n"
              + r.output());
    }
    return r.output();
  }

  /** True when {@code tool} is an executable on PATH (or an absolute executable path). */
  static boolean onPath(String tool) {
    if (tool.startsWith("/")) {
      return new java.io.File(tool).canExecute();
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
      if (!dir.isEmpty() && new java.io.File(dir, tool).canExecute()) {
        return true;
      }
    }
    return false;
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        synchronized (out) {
          out.write(buf, 0, n);
        }
      }
    } catch (IOException ignored) {
      // process ended
    }
  }
}
