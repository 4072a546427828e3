package org.sensorcluster.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code streams} does: the groups of clients, their pacing, the files; see {@link #USAGE}.
 */
record StreamSettings(
    URI base,
    List<StreamGroup> groups,
    Duration duration,
    int connectRate,
    Duration connectTimeout,
    String token,
    String label,
    Path jsonOut,
    Path readyFile,
    Path stopFile,
    int threads) {

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar load-generator.jar streams --url http://HOST:PORT [options]",
          "  --clients N               streams to open (default 1000) of --path (default /api/v1/stream)",
          "  --path P                  the stream's path; {i} becomes the client's number (0..N-1)",
          "  --group N:P               a further group of N clients of path P (repeatable)",
          "  --duration S              seconds to hold the streams once connected (default 60)",
          "  --connect-rate R          new connections per second (default 200; 0: all at once)",
          "  --connect-timeout S       seconds to wait for every ready event (default 60)",
          "  --threads T               threads reading the streams (default 2)",
          "  --token T                 bearer token (default: the SENSORS_TOKEN environment variable)",
          "  --label L                 the run's label in the output",
          "  --json-out FILE           also append the one-line JSON result to FILE",
          "  --ready-file FILE         written once the clients are connected",
          "  --stop-file FILE          the run ends when FILE exists (or after --duration)");

  static StreamSettings parse(String[] args) {
    URI base = null;
    int clients = 1000;
    String path = "/api/v1/stream";
    List<StreamGroup> more = new ArrayList<>();
    Duration duration = Duration.ofSeconds(60);
    Duration connectTimeout = Duration.ofSeconds(60);
    int rate = 200;
    int threads = 2;
    String token = null;
    String label = "streams";
    Path jsonOut = null;
    Path readyFile = null;
    Path stopFile = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String v = args[++i];
      switch (flag) {
        case "--url" -> base = URI.create(v);
        case "--clients" -> clients = Integer.parseInt(v);
        case "--path" -> path = v;
        case "--group" -> {
          int colon = v.indexOf(':');
          if (colon < 1) {
            throw new IllegalArgumentException("--group is N:PATH, got " + v);
          }
          more.add(
              new StreamGroup(Integer.parseInt(v.substring(0, colon)), v.substring(colon + 1)));
        }
        case "--duration" -> duration = Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        case "--connect-rate" -> rate = Integer.parseInt(v);
        case "--connect-timeout" ->
            connectTimeout = Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        case "--threads" -> threads = Integer.parseInt(v);
        case "--token" -> token = v;
        case "--label" -> label = v;
        case "--json-out" -> jsonOut = Path.of(v);
        case "--ready-file" -> readyFile = Path.of(v);
        case "--stop-file" -> stopFile = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    if (base == null || !"http".equals(base.getScheme()) || base.getHost() == null) {
      throw new IllegalArgumentException("--url must be http://HOST:PORT, got " + base);
    }
    if (clients < 0 || threads < 1 || rate < 0) {
      throw new IllegalArgumentException(
          "--clients, --threads and --connect-rate must not be negative");
    }
    List<StreamGroup> groups = new ArrayList<>();
    if (clients > 0) {
      groups.add(new StreamGroup(clients, path));
    }
    groups.addAll(more);
    return new StreamSettings(
        base,
        List.copyOf(groups),
        duration,
        rate,
        connectTimeout,
        ApiToken.resolve(token, System::getenv),
        label,
        jsonOut,
        readyFile,
        stopFile,
        threads);
  }
}
