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
 * Deletes the rows the models' {@link RetentionRule}s name (raw readings older than 30 days and
 * 1-minute buckets older than 90 days by default), without stopping ingestion: sensor by sensor in
 * chunks of {@link #CHUNK} sensors, each chunk its own short transaction on the primary key's
 * range. The handlers do not write such old readings in the first place, so a rebuild does not
 * bring them back.
 */
final class Retention {

  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  static final int CHUNK = 500;

  private final ReadModelDatabase db;
  private final Generations generations;
  private final ReadModelSettings settings;
  private final Clock clock;

  Retention(
      ReadModelDatabase db, Generations generations, ReadModelSettings settings, Clock clock) {
    this.db = db;
    this.generations = generations;
    this.settings = settings;
    this.clock = clock;
  }

  /** A table of one live generation and the cutoff of its rule. */
  private record Target(String table, RetentionRule rule, Instant cutoff) {}

  /**
   * One pass over every live generation of every model's {@link ReadModel#retention} rules; returns
   * the rows deleted.
   */
  long run() throws SQLException {
    ReadModel index = generations.models().sensorIndex();
    Generations.State sensorsState = index == null ? null : generations.current(index);
    if (sensorsState == null) {
      return 0;
    }
    Instant now = clock.instant();
    List<Target> perSensor = new ArrayList<>();
    List<Target> perTag = new ArrayList<>();
    for (ReadModel model : generations.models()) {
      Generations.State s = generations.current(model);
      for (RetentionRule rule : model.retention()) {
        if (s == null) {
          continue;
        }
        for (Integer gen : live(s)) {
          Target t =
              new Target(
                  ReadModel.table(rule.baseTable(), gen),
                  rule,
                  now.minus(rule.window().apply(settings)));
          (rule.key() == RetentionRule.Key.SENSOR_ID ? perSensor : perTag).add(t);
        }
      }
    }
    if (perSensor.isEmpty() && perTag.isEmpty()) {
      return 0;
    }
    String sensors = ReadModel.table(index.sensorIndex(), sensorsState.active());
    long deleted = 0;
    long started = System.nanoTime();
    String after = "";
    try (Connection c = db.connection()) {
      while (!perSensor.isEmpty()) {
        List<String> ids = new ArrayList<>(CHUNK);
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT sensor_id FROM "
                    + sensors
                    + " WHERE sensor_id > ? ORDER BY sensor_id LIMIT "
                    + CHUNK)) {
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
        for (Target t : perSensor) {
          deleted +=
              deleteOlder(
                  c,
                  "DELETE FROM "
                      + t.table()
                      + " WHERE sensor_id IN ("
                      + Sql.marks(ids.size())
                      + ") AND "
                      + t.rule().timeColumn()
                      + " < ?",
                  ids,
                  t.cutoff());
        }
        after = ids.get(ids.size() - 1);
      }
      List<String> tags = new ArrayList<>();
      for (int i = 0; i < settings.tagCount(); i++) {
        tags.add(EventTags.tag(i));
      }
      for (Target t : perTag) {
        deleted +=
            deleteOlder(
                c,
                "DELETE FROM "
                    + t.table()
                    + " WHERE tag IN ("
                    + Sql.marks(tags.size())
                    + ") AND "
                    + t.rule().timeColumn()
                    + " < ?",
                tags,
                t.cutoff());
      }
    }
    if (deleted > 0) {
      log.info(
          "retention: deleted {} rows older than the retention windows in {} ms",
          deleted,
          (System.nanoTime() - started) / 1_000_000);
    }
    return deleted;
  }

  private static long deleteOlder(Connection c, String sql, List<String> keys, Instant cutoff)
      throws SQLException {
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
