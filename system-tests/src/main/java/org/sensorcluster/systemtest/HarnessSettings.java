package org.sensorcluster.systemtest;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Knobs of the harness, from system properties ({@code -Dfaults.x=...}) with defaults for this
 * project's 2-core machines. Durations accept {@code 500ms}, {@code 5s}, {@code 2m}.
 */
record HarnessSettings(
    Path nodeJar,
    String subnet,
    String namePrefix,
    String sbrStableAfter,
    String nodeHeap,
    int loadThreads,
    int sensors,
    int batchSize,
    Duration pauseBetweenRequests,
    Duration requestTimeout,
    Duration readyTimeout,
    Duration readModelTimeout,
    Path outputDir,
    boolean keepDatabases) {

  /** The jar under test; the build passes the path of the artifact its own reactor packaged. */
  static Path nodeJar(String path) {
    if (path.contains("${")) {
      throw new IllegalStateException(
          "faults.nodeJar was not resolved by the build: "
              + path
              + " (run the system tests through Maven with the cluster-node module, e.g. mvn -B verify)");
    }
    return Path.of(path).toAbsolutePath().normalize();
  }

  static HarnessSettings fromSystemProperties() {
    return new HarnessSettings(
        nodeJar(prop("faults.nodeJar", "../cluster-node/target/sensor-node.jar")),
        prop("faults.subnet", "198.18.0"),
        prop("faults.namePrefix", "sft"),
        prop("faults.sbrStableAfter", ""),
        prop("faults.nodeHeap", "384m"),
        Integer.parseInt(prop("faults.loadThreads", "4")),
        Integer.parseInt(prop("faults.sensors", "300")),
        Integer.parseInt(prop("faults.batchSize", "10")),
        duration(prop("faults.pauseBetweenRequests", "50ms")),
        duration(prop("faults.requestTimeout", "10s")),
        duration(prop("faults.readyTimeout", "120s")),
        duration(prop("faults.readModelTimeout", "90s")),
        Path.of(prop("faults.outputDir", "target/fault-tests")).toAbsolutePath().normalize(),
        Boolean.parseBoolean(prop("faults.keepDatabases", "false")));
  }

  /** Address of the host side of the bridge: the database forwarder listens here. */
  String bridgeIp() {
    return subnet + ".1";
  }

  /** Address of host {@code i} (1-based). */
  String hostIp(int i) {
    return subnet + "." + (10 + i);
  }

  static String prop(String key, String dflt) {
    String v = System.getProperty(key);
    return v == null || v.isBlank() ? dflt : v.trim();
  }

  /**
   * Extra environment for every node, {@code -Dfaults.nodeEnv=K=V;K=V} (for investigations, e.g.
   * {@code SENSORS_LOG_LEVEL=DEBUG}); empty by default.
   */
  static java.util.Map<String, String> extraNodeEnv() {
    java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    for (String pair : prop("faults.nodeEnv", "").split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        env.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return env;
  }

  static Duration duration(String s) {
    s = s.trim();
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    }
    if (s.endsWith("s")) {
      return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
    }
    if (s.endsWith("m")) {
      return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
    }
    return Duration.ofSeconds(Long.parseLong(s));
  }
}
