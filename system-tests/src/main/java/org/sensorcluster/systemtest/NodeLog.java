package org.sensorcluster.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link NodeProcess}'s log file: the node's stdout and stderr, with the harness's own actions
 * marked in between.
 */
final class NodeLog {

  private final Path file;
  private final String node;

  NodeLog(Path file, String node) {
    this.file = file;
    this.node = node;
  }

  /**
   * A line in the node's log, so the harness's actions can be read next to the node's own lines.
   */
  void mark(String what) {
    try {
      Files.writeString(
          file,
          "=== harness " + Instant.now() + " " + node + ": " + what + " ===\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // the log is for people; never fail a scenario on it
    }
  }

  /** Log lines matching any of {@code needles} (case-insensitive), at most {@code max}. */
  List<String> grep(int max, String... needles) {
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
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
