package org.sensorcluster.node;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.projections.ReadModelDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many shards the sensors are spread over. Every node of a cluster must use the same number for
 * the cluster's whole life: a sensor's shard is its id's hash modulo this number, so two nodes with
 * different numbers would run one sensor twice (e.g. during a rolling upgrade that changed it). The
 * first node of a cluster decides it and keeps it in {@code cluster_settings}; every later node
 * uses the stored number, whatever it is configured with. A cluster whose journal already holds
 * sensors but has no stored number was started by a version before this setting and keeps Pekko's
 * default ({@link #LEGACY}).
 *
 * <p>Fewer shards make a drain cheaper: the shard coordinator writes its state twice per shard that
 * moves (deallocated, allocated), one write at a time, and the sensors of a moving shard wait for
 * both. 100 shards suit clusters of up to ~10 nodes (Pekko: about ten times the number of nodes).
 */
final class ShardCount {

  /** Created by {@link NodeSchema} under the schema lock. */
  static final String CREATE_TABLE =
      "CREATE TABLE IF NOT EXISTS cluster_settings ("
          + "name VARCHAR(64) NOT NULL PRIMARY KEY, setting VARCHAR(128) NOT NULL)";

  static final String NAME = "sensor-number-of-shards";

  /** Pekko's default, which every version before this setting used. */
  static final int LEGACY = 1000;

  private static final Logger log = LoggerFactory.getLogger(ShardCount.class);

  private ShardCount() {}

  /** The cluster's number of sensor shards; {@code configured} if this is a new cluster. */
  static int resolve(ReadModelDatabase db, int configured) throws SQLException {
    if (configured < 1) {
      throw new IllegalArgumentException("sensors.entity.number-of-shards must be >= 1");
    }
    try (Connection c = db.connection()) {
      Integer stored = read(c);
      if (stored == null) {
        int chosen = hasSensors(c) ? LEGACY : configured;
        try (PreparedStatement ps =
            c.prepareStatement("INSERT INTO cluster_settings (name, setting) VALUES (?, ?)")) {
          ps.setString(1, NAME);
          ps.setString(2, Integer.toString(chosen));
          ps.executeUpdate();
          c.commit();
          stored = chosen;
        } catch (SQLException e) {
          c.rollback(); // another node was first: use its number
          stored = read(c);
          if (stored == null) {
            throw e;
          }
        }
      }
      c.commit();
      if (stored != configured) {
        log.info(
            "sensors are spread over {} shards, the number this cluster was started with"
                + " (sensors.entity.number-of-shards = {} applies to new clusters only)",
            stored,
            configured);
      }
      return stored;
    }
  }

  private static Integer read(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT setting FROM cluster_settings WHERE name = ?")) {
      ps.setString(1, NAME);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Integer.valueOf(rs.getString(1)) : null;
      }
    }
  }

  private static boolean hasSensors(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM \"event_journal\" WHERE \"persistence_id\" LIKE ? LIMIT 1")) {
      ps.setString(1, SensorPersistenceIds.ENTITY_TYPE + "|%");
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
