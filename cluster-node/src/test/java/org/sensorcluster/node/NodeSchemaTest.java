package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.sensorcluster.testing.TestPostgres;

/**
 * The node's own journal DDL on real PostgreSQL: the same tables, columns, keys and indexes as the
 * plugin's script (so databases created by either keep working), idempotent on a complete or partly
 * created schema, and applied by many starters at once under the {@link SchemaLock}.
 */
class NodeSchemaTest {

  private static final String LAYOUT =
      "SELECT table_name || '.' || column_name || ' ' || data_type || ' '"
          + " || is_nullable || ' ' || coalesce(column_default, '') FROM information_schema.columns"
          + " WHERE table_schema = 'public' AND table_name IN ('event_journal', 'event_tag', 'snapshot')"
          + " UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'"
          + " AND tablename IN ('event_journal', 'event_tag', 'snapshot')"
          + " UNION ALL SELECT conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
          + " WHERE conrelid::regclass::text IN ('event_journal', 'event_tag', 'snapshot') ORDER BY 1";

  @Test
  void the_journal_tables_have_the_layout_of_the_plugins_own_script() throws Exception {
    TestPostgres plugin = TestPostgres.createDatabase("schema_plugin");
    TestPostgres ours = TestPostgres.createDatabase("schema_ours");
    try (Connection p = plugin.connect();
        Connection o = ours.connect()) {
      run(p, pluginStatements());
      run(o, NodeSchema.postgresJournalStatements());
      List<String> expected = rows(p, LAYOUT);
      assertTrue(expected.size() > 25, "the layout query sees the plugin's tables: " + expected);
      assertEquals(expected, rows(o, LAYOUT));
      assertFalse(
          rows(o, "SELECT tablename FROM pg_tables WHERE tablename = 'durable_state'").size() > 0,
          "no unused durable_state table");

      run(p, NodeSchema.postgresJournalStatements()); // a database created by the plugin's script
      run(o, NodeSchema.postgresJournalStatements()); // and by our own, a second time
      assertEquals(expected, rows(p, LAYOUT));
      assertEquals(expected, rows(o, LAYOUT));
    } finally {
      plugin.drop();
      ours.drop();
    }
  }

  @Test
  void a_partly_created_schema_is_completed() throws Exception {
    TestPostgres full = TestPostgres.createDatabase("schema_full");
    TestPostgres partial = TestPostgres.createDatabase("schema_partial");
    try (Connection f = full.connect();
        Connection p = partial.connect()) {
      List<String> ddl = NodeSchema.postgresJournalStatements();
      run(f, ddl);
      run(p, ddl.subList(0, 1)); // a node that died after the first statement
      run(p, ddl);
      assertEquals(rows(f, LAYOUT), rows(p, LAYOUT));
    } finally {
      full.drop();
      partial.drop();
    }
  }

  @Test
  void many_starters_at_once_create_the_schema_once_each_in_turn() throws Exception {
    TestPostgres pg = TestPostgres.createDatabase("schema_race");
    StorageConfig.Storage storage =
        new StorageConfig.Storage(pg.url(), pg.user(), pg.password(), false);
    int starters = 8;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(starters);
    try {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < starters; i++) {
        all.add(
            CompletableFuture.runAsync(
                () -> {
                  try (SchemaLock lock = SchemaLock.acquire(storage, Duration.ofSeconds(60))) {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    lock.execute(NodeSchema.postgresJournalStatements());
                    Thread.sleep(20);
                    inside.decrementAndGet();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                pool));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
      assertEquals(1, maxInside.get(), "starters inside the lock at the same time");
      try (Connection c = pg.connect()) {
        assertEquals(
            List.of("event_journal", "event_tag", "snapshot"),
            rows(c, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"));
      }
    } finally {
      pool.shutdownNow();
      pg.drop();
    }
  }

  @Test
  @SuppressWarnings("try") // the locks are held by being open; their bodies need not use them
  void a_lock_held_elsewhere_times_out_without_holding_a_transaction() throws Exception {
    TestPostgres pg = TestPostgres.createDatabase("schema_wait");
    StorageConfig.Storage storage =
        new StorageConfig.Storage(pg.url(), pg.user(), pg.password(), false);
    try (SchemaLock holder = SchemaLock.acquire(storage, Duration.ofSeconds(5))) {
      CompletableFuture<String> waiter =
          CompletableFuture.supplyAsync(
              () -> {
                try (SchemaLock second = SchemaLock.acquire(storage, Duration.ofSeconds(3))) {
                  return "acquired";
                } catch (SQLException e) {
                  return e.getMessage();
                }
              });
      // while the second starter waits, no session of this database is waiting inside a transaction
      // (what CREATE INDEX CONCURRENTLY of the holder would wait for)
      try (Connection c = pg.connect()) {
        for (int i = 0; i < 10 && !waiter.isDone(); i++) {
          assertEquals(
              List.of(),
              rows(
                  c,
                  "SELECT pid::text FROM pg_stat_activity WHERE datname = current_database()"
                      + " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"));
          Thread.sleep(100);
        }
      }
      String outcome = waiter.get(30, TimeUnit.SECONDS);
      assertTrue(outcome.contains("still held by another node"), outcome);
    } finally {
      pg.drop();
    }
  }

  private static List<String> pluginStatements() throws Exception {
    try (InputStream in =
        NodeSchemaTest.class.getResourceAsStream("/schema/postgres/postgres-create-schema.sql")) {
      String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> out = new ArrayList<>();
      for (String s : sql.split(";")) {
        if (!s.isBlank()) {
          out.add(s);
        }
      }
      return out;
    }
  }

  private static void run(Connection c, List<String> statements) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
