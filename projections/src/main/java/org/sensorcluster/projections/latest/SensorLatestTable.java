package org.sensorcluster.projections.latest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sensorcluster.projections.Dialect;
import org.sensorcluster.projections.ReadModel;
import org.sensorcluster.projections.Sql;

/**
 * Reads and writes whole rows of {@code sensor_latest_g<N>} with their {@code sensor_labels_g<N>}.
 */
public final class SensorLatestTable {

  private final String table;
  private final String labels;
  private final String upsert;

  public SensorLatestTable(Dialect dialect, int gen) {
    this.table = ReadModel.table("sensor_latest", gen);
    this.labels = ReadModel.table("sensor_labels", gen);
    this.upsert = dialect.upsert(table, LatestColumns.COLUMNS, List.of("sensor_id"));
  }

  String table() {
    return table;
  }

  String labelsTable() {
    return labels;
  }

  /** The stored rows of {@code sensorIds} (absent ids are missing from the map). */
  public Map<String, LatestRow> load(Connection c, Collection<String> sensorIds)
      throws SQLException {
    Map<String, LatestRow> out = new HashMap<>();
    if (sensorIds.isEmpty()) {
      return out;
    }
    List<String> ids = new ArrayList<>(sensorIds);
    Map<String, Map<String, String>> labelsById = loadLabels(c, ids);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + LatestColumns.SELECT_COLUMNS
                + " FROM "
                + table
                + " WHERE sensor_id IN ("
                + Sql.marks(ids.size())
                + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 1, ids.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          LatestRow row = LatestColumns.map(rs, labelsById);
          out.put(row.sensorId(), row);
        }
      }
    }
    return out;
  }

  Map<String, Map<String, String>> loadLabels(Connection c, List<String> ids) throws SQLException {
    Map<String, Map<String, String>> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT sensor_id, label_key, label_value FROM "
                + labels
                + " WHERE sensor_id IN ("
                + Sql.marks(ids.size())
                + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 1, ids.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
              .put(rs.getString(2), rs.getString(3));
        }
      }
    }
    return out;
  }

  /** Writes {@code rows} whole; rewrites the labels of the sensors in {@code labelsChanged}. */
  void store(Connection c, Collection<LatestRow> rows, Collection<String> labelsChanged)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(upsert)) {
      for (LatestRow r : rows) {
        LatestColumns.bind(ps, r);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    if (labelsChanged.isEmpty()) {
      return;
    }
    List<String> ids = new ArrayList<>(labelsChanged);
    try (PreparedStatement del =
        c.prepareStatement(
            "DELETE FROM " + labels + " WHERE sensor_id IN (" + Sql.marks(ids.size()) + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        del.setString(i + 1, ids.get(i));
      }
      del.executeUpdate();
    }
    Map<String, LatestRow> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.sensorId(), r));
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO " + labels + " (sensor_id, label_key, label_value) VALUES (?, ?, ?)")) {
      int n = 0;
      for (String id : ids) {
        LatestRow r = byId.get(id);
        if (r == null || r.metadata() == null) {
          continue;
        }
        for (Map.Entry<String, String> e : r.metadata().labels().entrySet()) {
          ins.setString(1, id);
          ins.setString(2, e.getKey());
          ins.setString(3, e.getValue());
          ins.addBatch();
          n++;
        }
      }
      if (n > 0) {
        ins.executeBatch();
      }
    }
  }
}
