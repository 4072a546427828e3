package org.sensorcluster.loadgen;

import java.time.Duration;

/** The ceiling probe's settings; see {@link #parse(String[])} for the command-line flags. */
record CeilingSettings(
    String url,
    String user,
    String password,
    int clients,
    int eventsPerTransaction,
    int sensors,
    Duration warmup,
    Duration duration,
    boolean keep) {

  private static final int JOURNAL_COLUMNS = 12;
  private static final int MAX_BIND_PARAMETERS = 32767;

  CeilingSettings {
    if (url == null || url.isBlank()) throw new IllegalArgumentException("--url is required");
    if (clients < 1) throw new IllegalArgumentException("--clients must be >= 1");
    if (eventsPerTransaction < 1)
      throw new IllegalArgumentException("--events-per-tx must be >= 1");
    if ((long) eventsPerTransaction * JOURNAL_COLUMNS > MAX_BIND_PARAMETERS) {
      throw new IllegalArgumentException(
          "--events-per-tx must be <= "
              + MAX_BIND_PARAMETERS / JOURNAL_COLUMNS
              + " (bind parameter limit)");
    }
    if (sensors < clients) throw new IllegalArgumentException("--sensors must be >= --clients");
    if (warmup.isNegative()) throw new IllegalArgumentException("--warmup must be >= 0");
    if (duration.isNegative() || duration.isZero())
      throw new IllegalArgumentException("--duration must be > 0");
  }

  static CeilingSettings defaults(String url, String user, String password) {
    return new CeilingSettings(
        url, user, password, 8, 100, 10_000, Duration.ofSeconds(5), Duration.ofSeconds(30), false);
  }

  /**
   * Parses {@code --url --user --password --clients --events-per-tx --sensors --warmup --duration
   * --keep}. Durations are seconds ({@code 30}, {@code 30s}, {@code 0.5}) or {@code 500ms}.
   */
  static CeilingSettings parse(String[] args) {
    String url = null;
    String user = System.getProperty("user.name");
    String password = "";
    int clients = 8;
    int eventsPerTx = 100;
    int sensors = 10_000;
    Duration warmup = Duration.ofSeconds(5);
    Duration duration = Duration.ofSeconds(30);
    boolean keep = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--keep")) {
        keep = true;
        continue;
      }
      if (flag.equals("--help") || flag.equals("-h")) throw new IllegalArgumentException("help");
      if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value");
      String v = args[++i];
      try {
        switch (flag) {
          case "--url" -> url = v;
          case "--user" -> user = v;
          case "--password" -> password = v;
          case "--clients" -> clients = Integer.parseInt(v);
          case "--events-per-tx" -> eventsPerTx = Integer.parseInt(v);
          case "--sensors" -> sensors = Integer.parseInt(v);
          case "--warmup" -> warmup = DurationArg.parse(v);
          case "--duration" -> duration = DurationArg.parse(v);
          default -> throw new IllegalArgumentException("unknown flag " + flag);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad value for " + flag + ": " + v);
      }
    }
    return new CeilingSettings(
        url, user, password, clients, eventsPerTx, sensors, warmup, duration, keep);
  }
}
