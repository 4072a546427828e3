package org.sensorcluster.node;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sensorcluster.domain.auth.QuotaOverrides;
import org.sensorcluster.domain.auth.Role;
import org.sensorcluster.domain.auth.TokenInfo;
import org.sensorcluster.projections.ReadModelDatabase;

/**
 * The {@code api_tokens} table: one row per token, its SHA-256 instead of its secret. Plain JDBC on
 * the node's pool, so the node ({@link ApiTokens}) and the CLI ({@link TokenCommand}) share it.
 */
final class TokenStore {

  /** Created by {@link NodeSchema} under the schema lock. */
  static final String CREATE_TABLE =
      "CREATE TABLE IF NOT EXISTS api_tokens ("
          + "id VARCHAR(64) NOT NULL PRIMARY KEY, token_hash VARCHAR(64) NOT NULL UNIQUE, role VARCHAR(16) NOT NULL,"
          + " scope VARCHAR(128) NOT NULL, label VARCHAR(200), created_at BIGINT NOT NULL, revoked_at BIGINT,"
          + " readings_per_second DOUBLE PRECISION, requests_per_second DOUBLE PRECISION,"
          + " new_sensors_per_hour DOUBLE PRECISION)";

  private static final String COLUMNS =
      "id, role, scope, label, created_at, revoked_at, readings_per_second,"
          + " requests_per_second, new_sensors_per_hour";

  private final ReadModelDatabase db;

  TokenStore(ReadModelDatabase db) {
    this.db = db;
  }

  /** Every valid token, by hash: what a node checks requests against. */
  Map<String, TokenInfo> activeByHash() throws SQLException {
    Map<String, TokenInfo> out = new HashMap<>();
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT " + COLUMNS + ", token_hash FROM api_tokens WHERE revoked_at IS NULL");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(10), info(rs));
      }
      c.commit();
    }
    return out;
  }

  List<TokenInfo> list() throws SQLException {
    List<TokenInfo> out = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM api_tokens ORDER BY created_at, id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(info(rs));
      }
      c.commit();
    }
    return out;
  }

  private static TokenInfo info(ResultSet rs) throws SQLException {
    long revoked = rs.getLong(6);
    Long revokedAt = rs.wasNull() ? null : revoked;
    return new TokenInfo(
        rs.getString(1),
        Role.parse(rs.getString(2)),
        rs.getString(3),
        rs.getString(4),
        rs.getLong(5),
        revokedAt,
        new QuotaOverrides(nullable(rs, 7), nullable(rs, 8), nullable(rs, 9)));
  }

  private static Double nullable(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  boolean isEmpty() throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM api_tokens");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      boolean empty = rs.getLong(1) == 0;
      c.commit();
      return empty;
    }
  }

  /**
   * Inserts {@code token}; false when a token with its id already exists (another node was first).
   */
  boolean insert(TokenInfo token, String hash) throws SQLException {
    try (Connection c = db.connection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO api_tokens (id, token_hash, role, scope, label,"
                  + " created_at, revoked_at, readings_per_second, requests_per_second, new_sensors_per_hour)"
                  + " VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)")) {
        ps.setString(1, token.id());
        ps.setString(2, hash);
        ps.setString(3, token.role().wireName());
        ps.setString(4, token.scope());
        ps.setString(5, token.label());
        ps.setLong(6, token.createdAt());
        setNullable(ps, 7, token.quota().readingsPerSecond());
        setNullable(ps, 8, token.quota().requestsPerSecond());
        setNullable(ps, 9, token.quota().newSensorsPerHour());
        ps.executeUpdate();
        c.commit();
        return true;
      } catch (SQLException e) {
        c.rollback();
        if (isUniqueViolation(e) && exists(c, token.id())) {
          return false;
        }
        throw e;
      }
    }
  }

  /**
   * Makes token {@code id} an unrevoked admin token with {@code hash} (the configured admin token:
   * a changed secret replaces the old one, which stops working).
   */
  void putAdmin(String id, String hash, String label, long now) throws SQLException {
    for (int attempt = 0; ; attempt++) {
      try (Connection c = db.connection();
          PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE api_tokens SET token_hash = ?, role = 'admin',"
                      + " scope = '', revoked_at = NULL WHERE id = ?")) {
        ps.setString(1, hash);
        ps.setString(2, id);
        int updated = ps.executeUpdate();
        c.commit();
        if (updated == 1) {
          return;
        }
      }
      if (insert(new TokenInfo(id, Role.ADMIN, "", label, now, null), hash) || attempt > 0) {
        return;
      }
    }
  }

  /** Marks token {@code id} revoked (once); false when there is no such token. */
  boolean revoke(String id, long now) throws SQLException {
    try (Connection c = db.connection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
        ps.setLong(1, now);
        ps.setString(2, id);
        int updated = ps.executeUpdate();
        boolean found = updated == 1 || exists(c, id);
        c.commit();
        return found;
      }
    }
  }

  private static void setNullable(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) {
      ps.setNull(i, java.sql.Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  private static boolean exists(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_tokens WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState()) || "23001".equals(e.getSQLState());
  }
}
