package org.sensorcluster.loadgen;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  private CeilingProbe() {}

  public static void main(String[] args) {
    CeilingSettings settings;
    try {
      settings = CeilingSettings.parse(args);
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
      CeilingResult r = run(settings);
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
  static CeilingResult run(CeilingSettings settings) throws SQLException {
    String url = withBatchRewrite(settings.url());
    try (Connection admin =
        DriverManager.getConnection(url, settings.user(), settings.password())) {
      admin.setAutoCommit(true);
      ProbeTables.createTables(admin);
      try {
        return measure(settings, url);
      } finally {
        if (!settings.keep()) ProbeTables.dropTables(admin);
      }
    }
  }

  static String withBatchRewrite(String url) {
    if (url.contains("reWriteBatchedInserts")) return url;
    return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
  }

  private static CeilingResult measure(CeilingSettings settings, String url) throws SQLException {
    int n = settings.clients();
    List<CeilingClient> clients = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        Connection c = DriverManager.getConnection(url, settings.user(), settings.password());
        c.setAutoCommit(false);
        clients.add(new CeilingClient(i, settings, c));
      }
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>(n);
      for (CeilingClient client : clients) {
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
      for (CeilingClient client : clients) client.window(measureFrom, measureTo);
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
      return CeilingResult.of(settings, clients);
    } finally {
      for (CeilingClient client : clients) {
        try {
          client.connection.close();
        } catch (SQLException ignored) {
          // closing after a failure; the first error is what matters
        }
      }
    }
  }
}
