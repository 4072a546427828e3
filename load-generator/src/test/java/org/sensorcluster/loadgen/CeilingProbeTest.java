package org.sensorcluster.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sensorcluster.testing.TestPostgres;

/**
 * Runs the probe for real against a fresh PostgreSQL database and checks what it wrote. Not a timed
 * test: no speed figure is asserted beyond "it wrote something".
 */
class CeilingProbeTest {

  private static TestPostgres db;

  @BeforeAll
  static void createDatabase() {
    db = TestPostgres.createDatabase("ceiling_probe");
  }

  @AfterAll
  static void dropDatabase() {
    if (db != null) db.drop();
  }

  @Test
  void writesJournalShapedRowsAndReportsWhatItWrote() throws Exception {
    CeilingSettings settings =
        CeilingSettings.parse(
            new String[] {
              "--url",
              db.url(),
              "--user",
              db.user(),
              "--password",
              db.password(),
              "--clients",
              "2",
              "--events-per-tx",
              "10",
              "--sensors",
              "50",
              "--warmup",
              "0",
              "--duration",
              "1",
              "--keep"
            });

    CeilingResult result = CeilingProbe.run(settings);
    System.out.println(result.line());
    System.out.println(result.details());

    assertTrue(result.eventsPerSecond() > 0, "events/s > 0");
    assertTrue(result.measuredEvents() > 0);
    assertTrue(result.totalEvents() >= result.measuredEvents());
    assertEquals(result.totalTransactions() * 10, result.totalEvents());
    assertEquals(2, result.eventsPerSecondPerClient().length);

    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      assertEquals(result.totalEvents(), count(s, "SELECT count(*) FROM probe_event_journal"));
      assertEquals(result.totalEvents(), count(s, "SELECT count(*) FROM probe_event_tag"));
      assertEquals(
          0,
          count(
              s,
              "SELECT count(*) FROM probe_event_journal j"
                  + " WHERE (SELECT count(*) FROM probe_event_tag t WHERE t.event_id = j.ordering) <> 1"),
          "every journal row has exactly one tag row");
      // (persistence_id, sequence_number) is the primary key, so min 1 and max = count means 1..n
      assertEquals(
          0,
          count(
              s,
              "SELECT count(*) FROM (SELECT persistence_id FROM probe_event_journal GROUP BY persistence_id"
                  + " HAVING min(sequence_number) <> 1 OR max(sequence_number) <> count(*)) gaps"),
          "sequence numbers per persistence id are 1..n without gaps");
      assertTrue(
          count(s, "SELECT count(DISTINCT persistence_id) FROM probe_event_journal") <= 50,
          "at most 50 sensors");
      assertEquals(
          0,
          count(
              s,
              "SELECT count(*) FROM probe_event_journal WHERE persistence_id NOT LIKE 'Sensor|probe-%'"
                  + " OR event_ser_manifest <> 'org.sensorcluster.domain.event.ReadingsRecorded'"
                  + " OR octet_length(event_payload) NOT BETWEEN 100 AND 140"));
      assertEquals(
          0,
          count(
              s,
              "SELECT count(*) FROM probe_event_tag WHERE tag NOT IN"
                  + " ('sensor-0','sensor-1','sensor-2','sensor-3','sensor-4','sensor-5','sensor-6','sensor-7')"),
          "tags are sensor-<hash % 8>");
      assertEquals(
          0,
          count(
              s,
              "SELECT count(*) FROM (SELECT j.persistence_id FROM probe_event_journal j"
                  + " JOIN probe_event_tag t ON t.event_id = j.ordering GROUP BY j.persistence_id"
                  + " HAVING count(DISTINCT t.tag) <> 1) x"),
          "one tag per sensor");
    }
  }

  @Test
  void probeTablesMatchTheShippedJournalSchema() throws Exception {
    // the DDL pekko-persistence-jdbc ships, on the test classpath (test-scoped dependency)
    String ddl;
    try (InputStream in =
        CeilingProbeTest.class
            .getClassLoader()
            .getResourceAsStream("schema/postgres/postgres-create-schema.sql")) {
      assertNotNull(in, "schema/postgres/postgres-create-schema.sql of pekko-persistence-jdbc");
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      for (String stmt : ddl.split(";")) {
        if (!stmt.isBlank()) s.execute(stmt);
      }
      ProbeTables.createTables(c);
      assertTrue(describe(s, "event_journal").size() >= 15, "13 columns, 2 indexes, 1 constraint");
      assertTrue(describe(s, "event_tag").size() >= 5, "2 columns, 1 index, 2 constraints");
      for (String table : List.of("event_journal", "event_tag")) {
        assertEquals(
            describe(s, table).stream().sorted().toList(),
            describe(s, "probe_" + table).stream()
                .map(l -> l.replace("probe_", ""))
                .sorted()
                .toList(),
            "probe_" + table + " has the same columns, keys, indexes and constraints as " + table);
      }
      ProbeTables.dropTables(c);
    }
  }

  @Test
  void missingUrlIsAUsageError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CeilingSettings.parse(new String[] {"--user", "x"}));
    assertTrue(e.getMessage().contains("--url"));
  }

  private static List<String> describe(Statement s, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    query(
        s,
        out,
        "SELECT 'column ' || column_name || ' ' || data_type || ' ' || coalesce(character_maximum_length::text, '-')"
            + " || ' nullable=' || is_nullable || ' default=' || coalesce(column_default, '-')"
            + " FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '"
            + table
            + "'"
            + " ORDER BY ordinal_position");
    query(
        s,
        out,
        "SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = '"
            + table
            + "'"
            + " ORDER BY indexname");
    query(
        s,
        out,
        "SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
            + " WHERE conrelid = 'public."
            + table
            + "'::regclass ORDER BY conname");
    return out;
  }

  private static void query(Statement s, List<String> out, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) out.add(rs.getString(1));
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
