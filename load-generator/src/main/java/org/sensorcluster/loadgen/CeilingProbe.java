package org.sensorcluster.loadgen;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The "ceiling probe": the physical limit of this PostgreSQL for journal-shaped writes, with no
 * actors and no HTTP, so that ingest benchmarks can be reported as a fraction of it.
 *
 * <p>It creates its own tables {@code probe_event_journal} and {@code probe_event_tag}, with the
 * same columns, types, keys, index and foreign key as the {@code event_journal} / {@code event_tag}
 * of pekko-persistence-jdbc 1.1.1 ({@code schema/postgres/postgres-create-schema.sql}), dropped and
 * re-created at the start of every run. Then {@code clients} threads, each with its own connection
 * (autoCommit off), write transactions the way the journal plugin does: one multi-row insert of
 * {@code eventsPerTransaction} journal rows returning the generated {@code ordering} values, one
 * batched insert of one tag row per event using those orderings, commit.
 *
 * <p>Each client owns a disjoint set of sensors (sensor {@code n} belongs to client {@code n %
 * clients}) and keeps a per-sensor sequence counter, so sequence numbers never clash and are 1..n
 * per persistence id. Events go round-robin over the client's sensors.
 *
 * <p>Transactions completing during the warm-up are not counted; those completing in the measured
 * window count towards events/s and the latency percentiles (latency = first insert to commit
 * acknowledged).
 */
public final class CeilingProbe {

  static final String JOURNAL = "probe_event_journal";
  static final String TAG = "probe_event_tag";
  static final String MANIFEST = "org.sensorcluster.domain.event.ReadingsRecorded";

  /** Any fixed serializer id; the journal stores whatever Pekko's serialization gives it. */
  static final int EVENT_SER_ID = 33;

  static final int TAG_BUCKETS = 8;
  private static final int JOURNAL_COLUMNS = 12;
  private static final int MAX_BIND_PARAMETERS = 32767;

  private CeilingProbe() {}

  /** The probe's settings; see {@link #parse(String[])} for the command-line flags. */
  public record Settings(
      String url,
      String user,
      String password,
      int clients,
      int eventsPerTransaction,
      int sensors,
      Duration warmup,
      Duration duration,
      boolean keep) {

    public Settings {
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

    public static Settings defaults(String url, String user, String password) {
      return new Settings(
          url,
          user,
          password,
          8,
          100,
          10_000,
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          false);
    }

    /**
     * Parses {@code --url --user --password --clients --events-per-tx --sensors --warmup --duration
     * --keep}. Durations are seconds ({@code 30}, {@code 30s}, {@code 0.5}) or {@code 500ms}.
     */
    public static Settings parse(String[] args) {
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
            case "--warmup" -> warmup = parseDuration(v);
            case "--duration" -> duration = parseDuration(v);
            default -> throw new IllegalArgumentException("unknown flag " + flag);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad value for " + flag + ": " + v);
        }
      }
      return new Settings(
          url, user, password, clients, eventsPerTx, sensors, warmup, duration, keep);
    }

    static Duration parseDuration(String v) {
      String s = v.trim().toLowerCase(Locale.ROOT);
      if (s.endsWith("ms"))
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      if (s.endsWith("s")) s = s.substring(0, s.length() - 1);
      return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    }
  }

  /**
   * What a run measured. {@code measuredEvents}/{@code measuredTransactions} are those committed in
   * the measured window; {@code totalEvents}/{@code totalTransactions} everything committed
   * (warm-up and the transactions still in flight when the window closed included), i.e. what is in
   * the table afterwards.
   */
  public record Result(
      Settings settings,
      long measuredEvents,
      long measuredTransactions,
      long totalEvents,
      long totalTransactions,
      double eventsPerSecond,
      double transactionsPerSecond,
      double[] eventsPerSecondPerClient,
      double txP50Millis,
      double txP99Millis) {

    /** The one line to quote. */
    public String line() {
      return String.format(
          Locale.ROOT,
          "ceiling: %.0f events/s (%d clients, %d events/tx, %s s) tx p50 %.1f ms p99 %.1f ms",
          eventsPerSecond,
          settings.clients(),
          settings.eventsPerTransaction(),
          seconds(settings.duration()),
          txP50Millis,
          txP99Millis);
    }

    public String details() {
      StringBuilder perClient = new StringBuilder();
      for (double d : eventsPerSecondPerClient) {
        if (perClient.length() > 0) perClient.append(", ");
        perClient.append(String.format(Locale.ROOT, "%.0f", d));
      }
      return String.format(
          Locale.ROOT,
          "  %.1f tx/s; %d events in %d tx measured, %d events in %d tx written in all; %d sensors;"
              + " events/s per client: [%s]",
          transactionsPerSecond,
          measuredEvents,
          measuredTransactions,
          totalEvents,
          totalTransactions,
          settings.sensors(),
          perClient);
    }

    private static String seconds(Duration d) {
      return d.toMillis() % 1000 == 0
          ? Long.toString(d.toSeconds())
          : String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }
  }

  public static void main(String[] args) {
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      if (!"help".equals(e.getMessage())) System.err.println("error: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "ceiling probe: %s as %s, %d clients, %d events/tx, %d sensors, warm-up %s, measuring %s%n",
        settings.url(),
        settings.user(),
        settings.clients(),
        settings.eventsPerTransaction(),
        settings.sensors(),
        settings.warmup(),
        settings.duration());
    try {
      Result r = run(settings);
      System.out.println(r.line());
      System.out.println(r.details());
    } catch (SQLException | RuntimeException e) {
      System.err.println("ceiling probe failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  static String usage() {
    return String.join(
        "\n",
        "usage: java -jar load-generator.jar probe --url jdbc:postgresql://HOST:5432/DB [options]",
        "  --user NAME          (default: OS user)",
        "  --password PW        (default: empty)",
        "  --clients N          writer threads, one connection each (default 8)",
        "  --events-per-tx N    events per transaction (default 100)",
        "  --sensors N          distinct persistence ids 'Sensor|probe-<n>' (default 10000)",
        "  --warmup S           seconds not counted (default 5; '500ms' also accepted)",
        "  --duration S         seconds measured (default 30)",
        "  --keep               keep probe_event_journal / probe_event_tag afterwards",
        "Creates (drop-and-create) the tables probe_event_journal and probe_event_tag in DB.");
  }

  /** Runs the probe: create tables, warm up, measure, drop tables (unless keep). */
  public static Result run(Settings settings) throws SQLException {
    String url = withBatchRewrite(settings.url());
    try (Connection admin =
        DriverManager.getConnection(url, settings.user(), settings.password())) {
      admin.setAutoCommit(true);
      createTables(admin);
      try {
        return measure(settings, url);
      } finally {
        if (!settings.keep()) dropTables(admin);
      }
    }
  }

  static String withBatchRewrite(String url) {
    if (url.contains("reWriteBatchedInserts")) return url;
    return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
  }

  /** Same as event_journal / event_tag of pekko-persistence-jdbc 1.1.1, under the probe's names. */
  static void createTables(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      dropTables(c);
      s.execute(
          "CREATE TABLE "
              + JOURNAL
              + "(\n"
              + "  ordering BIGSERIAL,\n"
              + "  persistence_id VARCHAR(255) NOT NULL,\n"
              + "  sequence_number BIGINT NOT NULL,\n"
              + "  deleted BOOLEAN DEFAULT FALSE NOT NULL,\n"
              + "  writer VARCHAR(255) NOT NULL,\n"
              + "  write_timestamp BIGINT,\n"
              + "  adapter_manifest VARCHAR(255),\n"
              + "  event_ser_id INTEGER NOT NULL,\n"
              + "  event_ser_manifest VARCHAR(255) NOT NULL,\n"
              + "  event_payload BYTEA NOT NULL,\n"
              + "  meta_ser_id INTEGER,\n"
              + "  meta_ser_manifest VARCHAR(255),\n"
              + "  meta_payload BYTEA,\n"
              + "  PRIMARY KEY(persistence_id, sequence_number)\n"
              + ")");
      s.execute("CREATE UNIQUE INDEX " + JOURNAL + "_ordering_idx ON " + JOURNAL + "(ordering)");
      s.execute(
          "CREATE TABLE "
              + TAG
              + "(\n"
              + "  event_id BIGINT,\n"
              + "  tag VARCHAR(256),\n"
              + "  PRIMARY KEY(event_id, tag),\n"
              + "  CONSTRAINT fk_"
              + JOURNAL
              + "\n"
              + "    FOREIGN KEY(event_id)\n"
              + "    REFERENCES "
              + JOURNAL
              + "(ordering)\n"
              + "    ON DELETE CASCADE\n"
              + ")");
    }
  }

  static void dropTables(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + TAG + ", " + JOURNAL);
    }
  }

  private static Result measure(Settings settings, String url) throws SQLException {
    int n = settings.clients();
    List<Client> clients = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        Connection c = DriverManager.getConnection(url, settings.user(), settings.password());
        c.setAutoCommit(false);
        clients.add(new Client(i, settings, c));
      }
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>(n);
      for (Client client : clients) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    go.await();
                    client.loop(failure);
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                },
                "probe-client-" + client.index);
        threads.add(t);
        t.start();
      }
      long start = System.nanoTime();
      long measureFrom = start + settings.warmup().toNanos();
      long measureTo = measureFrom + settings.duration().toNanos();
      for (Client client : clients) client.window(measureFrom, measureTo);
      go.countDown();
      for (Thread t : threads) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      Throwable f = failure.get();
      if (f instanceof SQLException e) throw e;
      if (f != null) throw new IllegalStateException("probe client failed", f);
      return result(settings, clients);
    } finally {
      for (Client client : clients) {
        try {
          client.connection.close();
        } catch (SQLException ignored) {
          // closing after a failure; the first error is what matters
        }
      }
    }
  }

  private static Result result(Settings settings, List<Client> clients) {
    double seconds = settings.duration().toNanos() / 1e9;
    long measuredEvents = 0, measuredTx = 0, totalEvents = 0, totalTx = 0;
    double[] perClient = new double[clients.size()];
    int latencyCount = 0;
    for (Client c : clients) {
      measuredEvents += c.measuredEvents;
      measuredTx += c.measuredTx;
      totalEvents += c.totalEvents;
      totalTx += c.totalTx;
      perClient[c.index] = c.measuredEvents / seconds;
      latencyCount += c.latencyCount;
    }
    long[] all = new long[latencyCount];
    int pos = 0;
    for (Client c : clients) {
      System.arraycopy(c.latencies, 0, all, pos, c.latencyCount);
      pos += c.latencyCount;
    }
    Arrays.sort(all);
    return new Result(
        settings,
        measuredEvents,
        measuredTx,
        totalEvents,
        totalTx,
        measuredEvents / seconds,
        measuredTx / seconds,
        perClient,
        percentileMillis(all, 0.50),
        percentileMillis(all, 0.99));
  }

  /** Nearest-rank percentile of sorted nanosecond values, in milliseconds; NaN when empty. */
  static double percentileMillis(long[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  static String persistenceId(int sensor) {
    return "Sensor|probe-" + sensor;
  }

  static String tagFor(int sensor) {
    return "sensor-" + Math.floorMod(("probe-" + sensor).hashCode(), TAG_BUCKETS);
  }

  /** One writer: its connection, its sensors, its counters. Used by one thread only. */
  private static final class Client {
    final int index;
    final Settings settings;
    final Connection connection;
    final int[] sensors;
    final long[] sequence;
    final String writer = UUID.randomUUID().toString();
    int nextSensor;
    long measureFrom;
    long measureTo;

    long measuredEvents;
    long measuredTx;
    long totalEvents;
    long totalTx;
    long[] latencies = new long[1024];
    int latencyCount;

    Client(int index, Settings settings, Connection connection) {
      this.index = index;
      this.settings = settings;
      this.connection = connection;
      int clients = settings.clients();
      int owned = settings.sensors() / clients + (index < settings.sensors() % clients ? 1 : 0);
      this.sensors = new int[owned];
      for (int k = 0; k < owned; k++) sensors[k] = index + k * clients;
      this.sequence = new long[owned];
      this.nextSensor = (int) ((long) index * 7919 % owned);
    }

    void window(long from, long to) {
      this.measureFrom = from;
      this.measureTo = to;
    }

    void loop(AtomicReference<Throwable> failure) throws SQLException {
      int e = settings.eventsPerTransaction();
      StringBuilder sql =
          new StringBuilder("INSERT INTO ")
              .append(JOURNAL)
              .append(
                  " (persistence_id, sequence_number, deleted, writer, write_timestamp, adapter_manifest,")
              .append(
                  " event_ser_id, event_ser_manifest, event_payload, meta_ser_id, meta_ser_manifest, meta_payload)")
              .append(" VALUES ");
      for (int i = 0; i < e; i++) {
        sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?)");
      }
      sql.append(" RETURNING ordering, persistence_id");
      try (PreparedStatement journal = connection.prepareStatement(sql.toString());
          PreparedStatement tags =
              connection.prepareStatement(
                  "INSERT INTO " + TAG + " (event_id, tag) VALUES (?, ?)")) {
        while (failure.get() == null) {
          long begin = System.nanoTime();
          if (begin >= measureTo) break;
          long writeTimestamp = System.currentTimeMillis();
          int p = 1;
          for (int i = 0; i < e; i++) {
            int local = nextSensor;
            nextSensor = nextSensor + 1 == sensors.length ? 0 : nextSensor + 1;
            int sensor = sensors[local];
            long seq = ++sequence[local];
            journal.setString(p++, persistenceId(sensor));
            journal.setLong(p++, seq);
            journal.setBoolean(p++, false);
            journal.setString(p++, writer);
            journal.setLong(p++, writeTimestamp);
            journal.setString(p++, "");
            journal.setInt(p++, EVENT_SER_ID);
            journal.setString(p++, MANIFEST);
            journal.setBytes(p++, payload(seq));
            journal.setNull(p++, java.sql.Types.INTEGER);
            journal.setNull(p++, java.sql.Types.VARCHAR);
            journal.setNull(p++, java.sql.Types.BINARY);
          }
          int got = 0;
          try (ResultSet rs = journal.executeQuery()) {
            while (rs.next()) {
              // RETURNING order is not guaranteed by SQL: match rows by persistence id, not
              // position
              got++;
              tags.setLong(1, rs.getLong(1));
              tags.setString(2, tagForPersistenceId(rs.getString(2)));
              tags.addBatch();
            }
          }
          if (got != e) throw new SQLException("expected " + e + " orderings back, got " + got);
          tags.executeBatch();
          connection.commit();
          long end = System.nanoTime();
          totalTx++;
          totalEvents += e;
          if (end >= measureFrom && end <= measureTo) {
            measuredTx++;
            measuredEvents += e;
            if (latencyCount == latencies.length)
              latencies = Arrays.copyOf(latencies, latencyCount * 2);
            latencies[latencyCount++] = end - begin;
          }
        }
      } catch (SQLException ex) {
        try {
          connection.rollback();
        } catch (SQLException ignored) {
          // the original error is reported
        }
        throw ex;
      }
    }
  }

  static String tagForPersistenceId(String persistenceId) {
    return tagFor(Integer.parseInt(persistenceId.substring(persistenceId.lastIndexOf('-') + 1)));
  }

  /** A ReadingsRecorded-like JSON event of about 120 bytes. */
  static byte[] payload(long seq) {
    return ("{\"readings\":[{\"readingId\":\"r-"
            + seq
            + "\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"value\":21.5}],"
            + "\"recordedAt\":\"2026-11-22T10:00:00.123Z\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
