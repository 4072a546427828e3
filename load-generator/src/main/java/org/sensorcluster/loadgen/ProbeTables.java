package org.sensorcluster.loadgen;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The ceiling probe's own tables {@code probe_event_journal} and {@code probe_event_tag}: the same
 * columns, types, keys, index and foreign key as the {@code event_journal} / {@code event_tag} of
 * pekko-persistence-jdbc 1.1.1 ({@code schema/postgres/postgres-create-schema.sql}).
 */
final class ProbeTables {

  static final String JOURNAL = "probe_event_journal";
  static final String TAG = "probe_event_tag";

  private ProbeTables() {}

  /** Same as event_journal / event_tag of pekko-persistence-jdbc 1.1.1, under the probe's names. */
  static void createTables(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      dropTables(c);
      s.execute(
          "CREATE TABLE "
              + JOURNAL
              + "(\n"
              + "  ordering BIGSERIAL,\n"
              + "  persistence_id VARCHAR(255) NOT NULL,\n"
              + "  sequence_number BIGINT NOT NULL,\n"
              + "  deleted BOOLEAN DEFAULT FALSE NOT NULL,\n"
              + "  writer VARCHAR(255) NOT NULL,\n"
              + "  write_timestamp BIGINT,\n"
              + "  adapter_manifest VARCHAR(255),\n"
              + "  event_ser_id INTEGER NOT NULL,\n"
              + "  event_ser_manifest VARCHAR(255) NOT NULL,\n"
              + "  event_payload BYTEA NOT NULL,\n"
              + "  meta_ser_id INTEGER,\n"
              + "  meta_ser_manifest VARCHAR(255),\n"
              + "  meta_payload BYTEA,\n"
              + "  PRIMARY KEY(persistence_id, sequence_number)\n"
              + ")");
      s.execute("CREATE UNIQUE INDEX " + JOURNAL + "_ordering_idx ON " + JOURNAL + "(ordering)");
      s.execute(
          "CREATE TABLE "
              + TAG
              + "(\n"
              + "  event_id BIGINT,\n"
              + "  tag VARCHAR(256),\n"
              + "  PRIMARY KEY(event_id, tag),\n"
              + "  CONSTRAINT fk_"
              + JOURNAL
              + "\n"
              + "    FOREIGN KEY(event_id)\n"
              + "    REFERENCES "
              + JOURNAL
              + "(ordering)\n"
              + "    ON DELETE CASCADE\n"
              + ")");
    }
  }

  static void dropTables(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + TAG + ", " + JOURNAL);
    }
  }
}
