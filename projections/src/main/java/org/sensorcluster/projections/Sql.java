package org.sensorcluster.projections;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;

/** JDBC helpers for nullable columns and timestamps (stored as UTC timestamps with time zone). */
public final class Sql {

  private Sql() {}

  /** The column type of a double in the read models' DDL. */
  public static final String DOUBLE = "DOUBLE PRECISION";

  public static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(i, t.atOffset(ZoneOffset.UTC));
    }
  }

  /**
   * {@code t} as PostgreSQL timestamp text with microseconds, rounded as the JDBC driver rounds an
   * {@code OffsetDateTime} parameter (half up), so a value sent in an array lands on the same
   * microsecond as one bound with {@link #setInstant}.
   */
  public static String pgTimestampText(Instant t) {
    int subMicro = t.getNano() % 1000;
    return (subMicro > 499 ? t.plusNanos(1000 - subMicro) : t.minusNanos(subMicro)).toString();
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  public static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  public static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  public static Double dbl(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  public static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  public static Long lng(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  public static void setString(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  /** {@code ?, ?, ?} with n marks. */
  public static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }
}
