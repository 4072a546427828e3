package org.sensorcluster.projections;

import static org.sensorcluster.projections.DialectSql.assignments;
import static org.sensorcluster.projections.DialectSql.insert;
import static org.sensorcluster.projections.DialectSql.keyNames;
import static org.sensorcluster.projections.DialectSql.merge;
import static org.sensorcluster.projections.DialectSql.names;
import static org.sensorcluster.projections.DialectSql.onConflict;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The two databases we run on. Every SQL difference between them is a method here, named after what
 * it does; callers never branch on the database themselves.
 */
public enum Dialect {
  POSTGRES {
    @Override
    public String timestampType() {
      return "TIMESTAMPTZ";
    }

    @Override
    public String exactDecimalType(int scale) {
      return "NUMERIC";
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> key) {
      StringBuilder set = new StringBuilder();
      for (String c : columns) {
        if (!key.contains(c)) {
          set.append(set.length() == 0 ? "" : ", ").append(c).append(" = EXCLUDED.").append(c);
        }
      }
      return insert(table, columns) + onConflict(key) + " DO UPDATE SET " + set;
    }

    @Override
    public String insertIgnore(String table, List<String> columns, List<String> key) {
      return insert(table, columns) + onConflict(key) + " DO NOTHING";
    }

    @Override
    public String touch(String table, String key, String time) {
      return "INSERT INTO "
          + table
          + " ("
          + key
          + ", "
          + time
          + ") VALUES (?, CURRENT_TIMESTAMP) ON CONFLICT ("
          + key
          + ") DO UPDATE SET "
          + time
          + " = CURRENT_TIMESTAMP";
    }

    @Override
    public String additiveUpsert(String table, List<MergeColumn> columns) {
      return "INSERT INTO "
          + table
          + " AS t ("
          + names(columns, "")
          + ") VALUES ("
          + Sql.marks(columns.size())
          + ")"
          + onConflict(keyNames(columns))
          + " DO UPDATE SET "
          + assignments(columns, "EXCLUDED");
    }

    @Override
    public String plusMillis(String timestamp, String millis) {
      return timestamp + " + " + millis + " * INTERVAL '1 millisecond'";
    }

    @Override
    public void lockTransaction(Connection c, long key) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + key + ")");
      }
    }

    @Override
    public boolean joinsArrayParameters() {
      return true;
    }

    @Override
    public Map<String, String> dataSourceProperties() {
      // one multi-row INSERT per JDBC batch instead of a round trip per row
      return Map.of("reWriteBatchedInserts", "true");
    }
  },

  H2 {
    @Override
    public String timestampType() {
      return "TIMESTAMP WITH TIME ZONE";
    }

    @Override
    public String exactDecimalType(int scale) {
      return "NUMERIC(100000, " + scale + ")";
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> key) {
      return merge(table, columns, key);
    }

    @Override
    public String insertIgnore(String table, List<String> columns, List<String> key) {
      // rows with one key always carry the same values here, so overwriting is the same as ignoring
      return merge(table, columns, key);
    }

    @Override
    public String touch(String table, String key, String time) {
      return "MERGE INTO "
          + table
          + " ("
          + key
          + ", "
          + time
          + ") KEY ("
          + key
          + ") VALUES (?, CURRENT_TIMESTAMP)";
    }

    @Override
    public String additiveUpsert(String table, List<MergeColumn> columns) {
      String casts =
          columns.stream()
              .map(c -> "CAST(? AS " + c.type() + ")")
              .collect(Collectors.joining(", "));
      String matched =
          keyNames(columns).stream()
              .map(k -> "t." + k + " = s." + k)
              .collect(Collectors.joining(" AND "));
      return "MERGE INTO "
          + table
          + " t USING (VALUES ("
          + casts
          + ")) AS s("
          + names(columns, "")
          + ") ON "
          + matched
          + " WHEN MATCHED THEN UPDATE SET "
          + assignments(columns, "s")
          + " WHEN NOT MATCHED THEN INSERT ("
          + names(columns, "")
          + ") VALUES ("
          + names(columns, "s.")
          + ")";
    }

    @Override
    public String plusMillis(String timestamp, String millis) {
      return "DATEADD(MILLISECOND, " + millis + ", " + timestamp + ")";
    }

    @Override
    public void lockTransaction(Connection c, long key) {
      // no advisory locks; nothing to take
    }

    @Override
    public boolean joinsArrayParameters() {
      return false;
    }

    @Override
    public Map<String, String> dataSourceProperties() {
      return Map.of();
    }
  };

  public static Dialect ofJdbcUrl(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRES;
    }
    if (url.startsWith("jdbc:h2:")) {
      return H2;
    }
    throw new IllegalArgumentException("unsupported JDBC URL (PostgreSQL or H2 expected): " + url);
  }

  /** The column type of a UTC timestamp in the read models' DDL. */
  public abstract String timestampType();

  /** The column type of an exact decimal with {@code scale} places that sums without rounding. */
  public abstract String exactDecimalType(int scale);

  /** A full-row upsert on primary key {@code key}. */
  public abstract String upsert(String table, List<String> columns, List<String> key);

  /** An insert that leaves an existing row with the same key alone. */
  public abstract String insertIgnore(String table, List<String> columns, List<String> key);

  /**
   * Inserts row {@code key = ?} with {@code time} = the database's current time, or sets {@code
   * time} to it when the row exists (database time: the same clock for every node).
   */
  public abstract String touch(String table, String key, String time);

  /**
   * An upsert that merges each non-key column into the stored row as its {@link MergeColumn#merge}
   * says (counters add up, minimums and maximums stay extreme); one parameter per column, in order.
   */
  public abstract String additiveUpsert(String table, List<MergeColumn> columns);

  /** The SQL expression of {@code timestamp} plus {@code millis} milliseconds. */
  public abstract String plusMillis(String timestamp, String millis);

  /**
   * Takes the lock {@code key} until the end of {@code c}'s transaction, so concurrent nodes take
   * turns (PostgreSQL: an advisory lock; H2: nothing).
   */
  public abstract void lockTransaction(Connection c, long key) throws SQLException;

  /**
   * Whether a statement may take typed array parameters and join them as rows ({@code
   * unnest(?::text[], ...)}) and return the rows it changed ({@code RETURNING}): PostgreSQL only.
   */
  public abstract boolean joinsArrayParameters();

  /** The JDBC driver's data source properties the connection pool sets. */
  public abstract Map<String, String> dataSourceProperties();
}
