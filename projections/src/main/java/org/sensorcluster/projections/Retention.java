package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sensorcluster.domain.EventTags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes raw readings older than the retention window (default 30 days) and 1-minute buckets
 * older than theirs (default 90 days), without stopping ingestion: sensor by sensor in chunks of
 * {@link #CHUNK} sensors, each chunk its own short transaction on the primary key's range. The
 * handlers do not write such old readings in the first place, so a rebuild does not bring them back.
 */
final class Retention {

  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  static final int CHUNK = 500;

  private final ReadModelDatabase db;
  private final Generations generations;
  private final ReadModelSettings settings;
  private final Clock clock;

  Retention(ReadModelDatabase db, Generations generations, ReadModelSettings settings, Clock clock) {
    this.db = db;
    this.generations = generations;
    this.settings = settings;
    this.clock = clock;
  }

  /** One pass over every live generation of readings and rollups; returns the rows deleted. */
  long run() throws SQLException {
    Generations.State latest = generations.current(ReadModel.SENSOR_LATEST);
    Generations.State readings = generations.current(ReadModel.READINGS);
    Generations.State rollups = generations.current(ReadModel.ROLLUPS);
    if (latest == null || readings == null || rollups == null) {
      return 0;
    }
    Instant now = clock.instant();
    Instant readingsCutoff = now.minus(settings.readingsRetention());
    Instant minuteCutoff = now.minus(settings.minuteRollupRetention());
    List<String> tables = new ArrayList<>();
    List<Instant> cutoffs = new ArrayList<>();
    for (Integer gen : live(readings)) {
      tables.add(ReadModel.table("readings", gen));
      cutoffs.add(readingsCutoff);
    }
    for (Integer gen : live(rollups)) {
      tables.add(ReadModel.table("rollup_1m", gen));
      cutoffs.add(minuteCutoff);
    }
    String sensors = ReadModel.table("sensor_latest", latest.active());
    long deleted = 0;
    long started = System.nanoTime();
    String after = "";
    try (Connection c = db.connection()) {
      while (true) {
        List<String> ids = new ArrayList<>(CHUNK);
        try (PreparedStatement ps = c.prepareStatement("SELECT sensor_id FROM " + sensors
            + " WHERE sensor_id > ? ORDER BY sensor_id LIMIT " + CHUNK)) {
          ps.setString(1, after);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ids.add(rs.getString(1));
            }
          }
        }
        c.commit();
        if (ids.isEmpty()) {
          break;
        }
        for (int t = 0; t < tables.size(); t++) {
          String column = tables.get(t).startsWith("readings") ? "ts" : "bucket_start";
          deleted += deleteOlder(c, "DELETE FROM " + tables.get(t) + " WHERE sensor_id IN (" + Sql.marks(ids.size())
              + ") AND " + column + " < ?", ids, cutoffs.get(t));
        }
        after = ids.get(ids.size() - 1);
      }
      List<String> tags = new ArrayList<>();
      for (int i = 0; i < settings.tagCount(); i++) {
        tags.add(EventTags.tag(i));
      }
      for (Integer gen : live(rollups)) {
        deleted += deleteOlder(c, "DELETE FROM " + ReadModel.table("fleet_rollup_1m", gen) + " WHERE tag IN ("
            + Sql.marks(tags.size()) + ") AND bucket_start < ?", tags, minuteCutoff);
      }
    }
    if (deleted > 0) {
      log.info("retention: deleted {} rows older than the retention windows in {} ms", deleted,
          (System.nanoTime() - started) / 1_000_000);
    }
    return deleted;
  }

  private static long deleteOlder(Connection c, String sql, List<String> keys, Instant cutoff) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (String k : keys) {
        ps.setString(i++, k);
      }
      Sql.setInstant(ps, i, cutoff);
      long n = ps.executeUpdate();
      c.commit();
      return n;
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  private static List<Integer> live(Generations.State s) {
    List<Integer> gens = new ArrayList<>();
    gens.add(s.active());
    if (s.building() != null) {
      gens.add(s.building());
    }
    return gens;
  }

}
