package org.sensorcluster.node;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pekko.actor.typed.ActorSystem;
import org.sensorcluster.projections.Dialect;
import org.sensorcluster.projections.ReadModelDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's planner statistics of our tables fresh: while the journal is young and grows
 * fast ({@link JournalGrowth}), and periodically when autovacuum is off: on the server, or for one
 * of our journal tables (storage parameter {@code autovacuum_enabled = off}).
 *
 * <p>Without statistics the planner believes the journal is tiny, and the read journal's {@code
 * eventsByTag} query of a projection that has fallen behind (a range up to the journal head, {@code
 * ORDER BY ordering LIMIT 500}) becomes a bitmap scan and sort of the whole range: minutes per
 * poll, a stalled projection and a saturated database (measured: 170k events, 4 tags stuck). With
 * statistics it is a merge join that stops after 500 rows. See docs/adr/0005-planner-statistics.md.
 */
final class PostgresStatistics {

  private static final Logger log = LoggerFactory.getLogger(PostgresStatistics.class);
  private static final List<String> TABLES =
      List.of("event_journal", "event_tag", "snapshot", "pekko_projection_offset_store");

  /** How often the journal's growth is looked at ({@link #watchGrowth}). */
  private static final Duration GROWTH_CHECK = Duration.ofSeconds(2);

  private PostgresStatistics() {}

  /**
   * Schedules periodic ANALYZE if the database is PostgreSQL, autovacuum is off for one of our
   * journal tables (on the server or by the table's storage parameter) and {@code interval} > 0.
   */
  static void maintain(ActorSystem<?> system, ReadModelDatabase db, Duration interval) {
    if (db.dialect() != Dialect.POSTGRES || interval.isZero() || interval.isNegative()) {
      return;
    }
    watchGrowth(system, db);
    String off;
    try {
      off = autovacuumOff(db);
    } catch (SQLException e) {
      log.warn("cannot read the autovacuum setting ({}); not scheduling ANALYZE", e.getMessage());
      return;
    }
    if (off == null) {
      return;
    }
    log.warn(
        "autovacuum is OFF {}: planner statistics of the journal would never be "
            + "refreshed, and projection queries degrade badly as the journal grows. This node will ANALYZE its "
            + "tables every {} s (sensors.db.analyze-interval). Turn autovacuum on in production.",
        off,
        interval.toSeconds());
    system
        .scheduler()
        .scheduleWithFixedDelay(Duration.ZERO, interval, () -> analyze(db, true), blocking(system));
  }

  /**
   * Every {@link #GROWTH_CHECK} the journal's head; ANALYZE of the journal and read-model tables
   * when {@link JournalGrowth} says it is due, whether autovacuum is on or not (its first look at a
   * new table comes only after a minute, and meanwhile a planner that believes the journal empty
   * turns each sensor's recovery and each eventsByTag poll into scans: a 10,000-item batch over
   * 5,000 new sensors on a fresh database took 28-35 s instead of 11 s).
   */
  private static void watchGrowth(ActorSystem<?> system, ReadModelDatabase db) {
    long[] atLastAnalyze = {0};
    system
        .scheduler()
        .scheduleWithFixedDelay(
            GROWTH_CHECK,
            GROWTH_CHECK,
            () -> {
              try {
                long head = db.journalHead();
                if (JournalGrowth.DEFAULT.due(atLastAnalyze[0], head)) {
                  atLastAnalyze[0] = head;
                  analyze(db, false);
                }
              } catch (SQLException e) {
                log.debug("journal growth check failed: {}", e.getMessage());
              }
            },
            blocking(system));
  }

  /** The read models' tables of every generation (their names end in _g<N>). */
  private static List<String> readModelTables(Statement s) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                + " AND tablename ~ '_g[0-9]+$'")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    return tables;
  }

  private static scala.concurrent.ExecutionContextExecutor blocking(ActorSystem<?> system) {
    return system
        .dispatchers()
        .lookup(
            org.apache.pekko.actor.typed.DispatcherSelector.fromConfig(
                "sensors-blocking-dispatcher"));
  }

  /**
   * Where autovacuum is off for our tables ("on this PostgreSQL server", or "for table(s) [...]"
   * whose storage parameter {@code autovacuum_enabled} is false), or null when it is on for all.
   */
  static String autovacuumOff(ReadModelDatabase db) throws SQLException {
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      try {
        try (ResultSet rs = s.executeQuery("SELECT current_setting('autovacuum')")) {
          rs.next();
          if (!"on".equalsIgnoreCase(rs.getString(1))) {
            return "on this PostgreSQL server";
          }
        }
        List<String> off = new ArrayList<>();
        try (ResultSet rs =
            s.executeQuery(
                "SELECT c.relname, o.opt FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL unnest(c.reloptions) AS o(opt)"
                    + " WHERE n.nspname = current_schema() AND c.relname IN ('"
                    + String.join("', '", TABLES)
                    + "')"
                    + " AND o.opt LIKE 'autovacuum\\_enabled=%' ORDER BY c.relname")) {
          while (rs.next()) {
            String option = rs.getString(2);
            if (isFalse(option.substring(option.indexOf('=') + 1))) {
              off.add(rs.getString(1));
            }
          }
        }
        return off.isEmpty() ? null : "for table(s) " + off;
      } finally {
        c.commit();
      }
    }
  }

  /** A boolean storage parameter's value as PostgreSQL spells false (off, of, f[alse], n[o], 0). */
  static boolean isFalse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    return !v.isEmpty()
        && ("false".startsWith(v)
            || "no".startsWith(v)
            || v.equals("off")
            || v.equals("of")
            || v.equals("0"));
  }

  /**
   * ANALYZE of the journal tables and every read-model table; with {@code vacuum} the read-model
   * tables get {@code VACUUM (ANALYZE)}: they are updated in place (upserts), and without
   * autovacuum their dead rows would pile up.
   */
  static void analyze(ReadModelDatabase db, boolean vacuum) {
    long started = System.nanoTime();
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      for (String table : TABLES) {
        s.execute("ANALYZE " + table);
      }
      for (String table : readModelTables(s)) {
        try {
          s.execute((vacuum ? "VACUUM (ANALYZE) " : "ANALYZE ") + table);
        } catch (SQLException e) {
          log.debug(
              "{} of {} failed (dropped by a rebuild?): {}",
              vacuum ? "VACUUM" : "ANALYZE",
              table,
              e.getMessage());
        }
      }
      log.debug("analyzed {} in {} ms", TABLES, (System.nanoTime() - started) / 1_000_000);
    } catch (SQLException e) {
      log.warn("ANALYZE of the journal tables failed: {}", e.getMessage());
    }
  }
}
