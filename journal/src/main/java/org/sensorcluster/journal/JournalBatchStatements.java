package org.sensorcluster.journal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.EventTagTableConfiguration;

/**
 * The two statements of a batched journal write, on the plugin's configured table and column names:
 * the events from arrays (one array per column, kept in array order by {@code WITH ORDINALITY ...
 * ORDER BY}, so orderings are handed out in that order), returning each event's ordering; then the
 * tag rows, (ordering, tag) pairs from two arrays. PostgreSQL returns the orderings with {@code
 * RETURNING}, H2 with {@code SELECT ... FROM FINAL TABLE (INSERT ...)}; H2's schema (the plugin's)
 * has quoted lower-case names, so they are quoted there.
 */
final class JournalBatchStatements {

  /** The database the statements are written for. */
  enum Dialect {
    POSTGRES,
    H2
  }

  private final String insertEvents;
  private final String insertTags;
  private final String binary;

  JournalBatchStatements(
      EventJournalTableConfiguration journal, EventTagTableConfiguration tags, Dialect dialect) {
    EventJournalTableColumnNames c = journal.columnNames();
    boolean h2 = dialect == Dialect.H2;
    this.binary = h2 ? "varbinary" : "bytea";
    java.util.function.UnaryOperator<String> q = h2 ? n -> '"' + n + '"' : n -> n;
    String table = qualified(journal.schemaName(), journal.tableName(), q);
    String columns =
        String.join(
            ", ",
            q.apply(c.deleted()),
            q.apply(c.persistenceId()),
            q.apply(c.sequenceNumber()),
            q.apply(c.writer()),
            q.apply(c.writeTimestamp()),
            q.apply(c.adapterManifest()),
            q.apply(c.eventSerId()),
            q.apply(c.eventSerManifest()),
            q.apply(c.eventPayload()),
            q.apply(c.metaSerId()),
            q.apply(c.metaSerManifest()),
            q.apply(c.metaPayload()));
    String arrays =
        String.join(
            ", ",
            array("boolean", h2),
            array("varchar", h2),
            array("bigint", h2),
            array("varchar", h2),
            array("bigint", h2),
            array("varchar", h2),
            array("integer", h2),
            array("varchar", h2),
            array(h2 ? "varbinary" : "bytea", h2),
            array("integer", h2),
            array("varchar", h2),
            array(h2 ? "varbinary" : "bytea", h2));
    String insert =
        "INSERT INTO "
            + table
            + " ("
            + columns
            + ")"
            + " SELECT d, p, s, w, t, a, ei, em, ep, mi, mm, mp FROM unnest("
            + arrays
            + ") "
            + "WITH ORDINALITY AS u(d, p, s, w, t, a, ei, em, ep, mi, mm, mp, n) ORDER BY n";
    String returned =
        q.apply(c.ordering())
            + ", "
            + q.apply(c.persistenceId())
            + ", "
            + q.apply(c.sequenceNumber());
    this.insertEvents =
        h2
            ? "SELECT " + returned + " FROM FINAL TABLE (" + insert + ")"
            : insert + " RETURNING " + returned;
    this.insertTags =
        "INSERT INTO "
            + qualified(tags.schemaName(), tags.tableName(), q)
            + " ("
            + q.apply(tags.columnNames().eventId())
            + ", "
            + q.apply(tags.columnNames().tag())
            + ")"
            + " SELECT * FROM unnest("
            + array("bigint", h2)
            + ", "
            + array("varchar", h2)
            + ")";
  }

  private static String array(String type, boolean h2) {
    return h2 ? "CAST(? AS " + type + " ARRAY)" : "?::" + type + "[]";
  }

  private static String qualified(
      scala.Option<String> schema, String table, java.util.function.UnaryOperator<String> q) {
    return schema.isDefined() && !schema.get().isEmpty()
        ? q.apply(schema.get()) + "." + q.apply(table)
        : q.apply(table);
  }

  /** Inserts {@code rows} (and their tags) on {@code c}, inside the caller's transaction. */
  void insert(Connection c, JournalRows rows) throws SQLException {
    Map<String, Long> orderings = new HashMap<>(rows.size() * 2);
    try (PreparedStatement ps = c.prepareStatement(insertEvents)) {
      ps.setArray(1, c.createArrayOf("boolean", rows.deleted()));
      ps.setArray(2, c.createArrayOf("varchar", rows.persistenceId()));
      ps.setArray(3, c.createArrayOf("bigint", rows.sequenceNumber()));
      ps.setArray(4, c.createArrayOf("varchar", rows.writer()));
      ps.setArray(5, c.createArrayOf("bigint", rows.writeTimestamp()));
      ps.setArray(6, c.createArrayOf("varchar", rows.adapterManifest()));
      ps.setArray(7, c.createArrayOf("integer", rows.eventSerId()));
      ps.setArray(8, c.createArrayOf("varchar", rows.eventSerManifest()));
      ps.setArray(9, c.createArrayOf(binary, rows.eventPayload()));
      ps.setArray(10, c.createArrayOf("integer", rows.metaSerId()));
      ps.setArray(11, c.createArrayOf("varchar", rows.metaSerManifest()));
      ps.setArray(12, c.createArrayOf(binary, rows.metaPayload()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          orderings.put(key(rs.getString(2), rs.getLong(3)), rs.getLong(1));
        }
      }
    }
    if (orderings.size() != rows.size()) {
      throw new SQLException(
          "batched journal insert returned "
              + orderings.size()
              + " orderings for "
              + rows.size()
              + " events");
    }
    if (!rows.tagged()) {
      return;
    }
    List<Long> eventIds = new ArrayList<>();
    List<String> tagValues = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Long ordering = orderings.get(key(rows.persistenceId()[i], rows.sequenceNumber()[i]));
      for (String tag : rows.tags().get(i)) {
        eventIds.add(ordering);
        tagValues.add(tag);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(insertTags)) {
      Array ids = c.createArrayOf("bigint", eventIds.toArray(Long[]::new));
      ps.setArray(1, ids);
      ps.setArray(2, c.createArrayOf("varchar", tagValues.toArray(String[]::new)));
      ps.executeUpdate();
    }
  }

  private static String key(String persistenceId, long sequenceNumber) {
    return sequenceNumber + "|" + persistenceId;
  }
}
