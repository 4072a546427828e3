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
 * The two PostgreSQL statements of a batched journal write, on the plugin's configured table and
 * column names: the events from arrays (one array per column, kept in array order by
 * {@code WITH ORDINALITY ... ORDER BY}, so orderings are handed out in that order), returning each
 * event's ordering; then the tag rows, (ordering, tag) pairs from two arrays.
 */
final class JournalBatchStatements {

  private final String insertEvents;
  private final String insertTags;

  JournalBatchStatements(EventJournalTableConfiguration journal, EventTagTableConfiguration tags) {
    EventJournalTableColumnNames c = journal.columnNames();
    String table = qualified(journal.schemaName(), journal.tableName());
    this.insertEvents = "INSERT INTO " + table + " (" + String.join(", ", c.deleted(), c.persistenceId(),
        c.sequenceNumber(), c.writer(), c.writeTimestamp(), c.adapterManifest(), c.eventSerId(),
        c.eventSerManifest(), c.eventPayload(), c.metaSerId(), c.metaSerManifest(), c.metaPayload()) + ")"
        + " SELECT d, p, s, w, t, a, ei, em, ep, mi, mm, mp FROM unnest("
        + "?::boolean[], ?::varchar[], ?::bigint[], ?::varchar[], ?::bigint[], ?::varchar[], ?::integer[], "
        + "?::varchar[], ?::bytea[], ?::integer[], ?::varchar[], ?::bytea[]) "
        + "WITH ORDINALITY AS u(d, p, s, w, t, a, ei, em, ep, mi, mm, mp, n) ORDER BY n "
        + "RETURNING " + c.ordering() + ", " + c.persistenceId() + ", " + c.sequenceNumber();
    this.insertTags = "INSERT INTO " + qualified(tags.schemaName(), tags.tableName())
        + " (" + tags.columnNames().eventId() + ", " + tags.columnNames().tag() + ")"
        + " SELECT * FROM unnest(?::bigint[], ?::varchar[])";
  }

  private static String qualified(scala.Option<String> schema, String table) {
    return schema.isDefined() && !schema.get().isEmpty() ? schema.get() + "." + table : table;
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
      ps.setArray(9, c.createArrayOf("bytea", rows.eventPayload()));
      ps.setArray(10, c.createArrayOf("integer", rows.metaSerId()));
      ps.setArray(11, c.createArrayOf("varchar", rows.metaSerManifest()));
      ps.setArray(12, c.createArrayOf("bytea", rows.metaPayload()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          orderings.put(key(rs.getString(2), rs.getLong(3)), rs.getLong(1));
        }
      }
    }
    if (orderings.size() != rows.size()) {
      throw new SQLException("batched journal insert returned " + orderings.size() + " orderings for "
          + rows.size() + " events");
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
