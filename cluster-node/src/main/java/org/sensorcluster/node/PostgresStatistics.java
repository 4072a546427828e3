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
 * Keeps PostgreSQL's planner statistics of our tables fresh when autovacuum is off: on the server,
 * or for one of our journal tables (storage parameter {@code autovacuum_enabled = off}).
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

  private PostgresStatistics() {}

  /**
   * Schedules periodic ANALYZE if the database is PostgreSQL, autovacuum is off for one of our
   * journal tables (on the server or by the table's storage parameter) and {@code interval} > 0.
   */
  static void maintain(ActorSystem<?> system, ReadModelDatabase db, Duration interval) {
    if (db.dialect() != Dialect.POSTGRES || interval.isZero() || interval.isNegative()) {
      return;
    }
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
        .scheduleWithFixedDelay(
            Duration.ZERO,
            interval,
            () -> analyze(db),
            system
                .dispatchers()
                .lookup(
                    org.apache.pekko.actor.typed.DispatcherSelector.fromConfig(
                        "sensors-blocking-dispatcher")));
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

  static void analyze(ReadModelDatabase db) {
    long started = System.nanoTime();
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      for (String table : TABLES) {
        s.execute("ANALYZE " + table);
      }
      // the read models' tables of every generation (their names end in _g<N>)
      List<String> readModels = new java.util.ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                  + " AND tablename ~ '_g[0-9]+$'")) {
        while (rs.next()) {
          readModels.add(rs.getString(1));
        }
      }
      // read models are updated in place (upserts): without autovacuum their dead rows would pile
      // up
      for (String table : readModels) {
        try {
          s.execute("VACUUM (ANALYZE) " + table);
        } catch (SQLException e) {
          log.debug(
              "VACUUM of {} failed (dropped by a rebuild meanwhile?): {}", table, e.getMessage());
        }
      }
      log.debug("analyzed {} in {} ms", TABLES, (System.nanoTime() - started) / 1_000_000);
    } catch (SQLException e) {
      log.warn("ANALYZE of the journal tables failed: {}", e.getMessage());
    }
  }
}
