package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.testing.TestPostgres;

/**
 * The batched journal writes (BatchedJournalDao) against the plugin's own write path, each on a
 * database of its own (PostgreSQL, and H2) with the same requests: the same journal rows and tags,
 * orderings that follow each sensor's sequence numbers, a restarted node recovers every sensor from
 * them, and the batched path really writes a group of events with one statement. That last part
 * reads PostgreSQL's {@code cmin} (the command within its transaction that inserted a row): one
 * INSERT per event gives every row of a transaction its own cmin, one INSERT for the group gives
 * them all the same.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BatchedJournalWritesTest {

  private static final int SENSORS = 40;
  private static final int PER_SENSOR = 10;

  @Test
  void on_h2_batched_writes_store_what_the_plugin_stores(@TempDir Path dir) throws Exception {
    Journal batched = runH2(dir.resolve("batched"), true);
    Journal plugin = runH2(dir.resolve("plugin"), false);
    assertEquals(
        plugin.rows(), batched.rows(), "journal rows (pid, seq, serializer, manifest, tags)");
    assertTrue(
        batched.rows().size() >= 2 * SENSORS,
        "every sensor's events are in the journal: " + batched.rows().size());
  }

  @Test
  void batched_writes_store_what_the_plugin_stores_with_one_statement_per_group() throws Exception {
    Journal batched = run(true);
    Journal plugin = run(false);

    assertEquals(
        plugin.rows(), batched.rows(), "journal rows (pid, seq, serializer, manifest, tags)");
    assertTrue(
        batched.rows().size() >= 2 * SENSORS,
        "every sensor's events are in the journal: " + batched.rows().size());
    assertTrue(
        batched.statementsPerTransaction().stream().allMatch(n -> n == 1),
        "batched: every transaction inserted its events with one statement "
            + batched.statementsPerTransaction());
    assertTrue(
        batched.largestTransaction() > 1,
        "batched: some transaction held events of several writes");
    assertTrue(
        plugin.largestTransaction() > 1, "plugin: some transaction held events of several writes");
    assertEquals(
        plugin.eventsPerTransaction(),
        plugin.statementsPerTransaction(),
        "the plugin's path: one statement per event (so the check above can tell the two apart)");
  }

  /** Journal rows as text, the events and distinct cmins per transaction, largest transaction. */
  record Journal(
      List<String> rows,
      List<Integer> eventsPerTransaction,
      List<Integer> statementsPerTransaction) {
    int largestTransaction() {
      return eventsPerTransaction.stream().mapToInt(Integer::intValue).max().orElse(0);
    }
  }

  private static Journal run(boolean batchedWrites) throws Exception {
    TestPostgres pg =
        TestPostgres.createDatabase(batchedWrites ? "journal_batched" : "journal_plugin");
    try {
      writeAndRecover(TestNodes.postgres(pg), batchedWrites);
      return read(pg::connect, true);
    } finally {
      pg.drop();
    }
  }

  private static Journal runH2(Path dataDir, boolean batchedWrites) throws Exception {
    Config storage = TestNodes.h2(dataDir);
    writeAndRecover(storage, batchedWrites);
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("sensors");
    return read(() -> DriverManager.getConnection(url, "sa", ""), false);
  }

  /**
   * The same writes on a node with the batched path on or off, then a second node recovers them
   * all.
   */
  private static void writeAndRecover(Config storage, boolean batchedWrites) {
    SensorNode node =
        TestNodes.start(
            ConfigFactory.parseString(
                    "sensors.db.journal-batched-writes = " + (batchedWrites ? "on" : "off"))
                .withFallback(storage));
    try {
      ApiClient api = new ApiClient(node.httpPort());
      List<String> items = new ArrayList<>();
      for (int i = 0; i < PER_SENSOR; i++) {
        for (int s = 0; s < SENSORS; s++) {
          items.add(
              "{\"sensorId\":\"j-" + s + "\",\"readingId\":\"r-" + i + "\",\"value\":" + i + "}");
        }
      }
      ApiClient.Reply batch = api.postJson("/readings", "[" + String.join(",", items) + "]");
      assertEquals(202, batch.status(), batch.raw().body());
      for (int s = 0; s < SENSORS; s++) {
        ApiClient.Reply single =
            api.postJson("/sensors/j-" + s + "/readings", "{\"readingId\":\"x\",\"value\":1}");
        assertEquals(202, single.status(), single.raw().body());
      }
    } finally {
      node.stop();
    }
    // a node started on this journal recovers every sensor from it
    SensorNode again = TestNodes.start(storage);
    try {
      ApiClient api = new ApiClient(again.httpPort());
      for (int s = 0; s < SENSORS; s++) {
        ApiClient.Reply r =
            api.awaitGet(
                "/sensors/j-" + s + "?consistency=strong",
                x -> x.status() == 200,
                Duration.ofSeconds(30));
        assertEquals(PER_SENSOR + 1, r.body().get("readingCount").asLong(), r.raw().body());
      }
    } finally {
      again.stop();
    }
  }

  private static final String ROWS_POSTGRES =
      "SELECT j.persistence_id, j.sequence_number, j.event_ser_id, "
          + "j.event_ser_manifest, j.ordering, string_agg(t.tag, ',' ORDER BY t.tag) FROM event_journal j "
          + "LEFT JOIN event_tag t ON t.event_id = j.ordering GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2";
  private static final String ROWS_H2 =
      "SELECT j.\"persistence_id\", j.\"sequence_number\", j.\"event_ser_id\", "
          + "j.\"event_ser_manifest\", j.\"ordering\", LISTAGG(t.\"tag\", ',') WITHIN GROUP (ORDER BY t.\"tag\") "
          + "FROM \"event_journal\" j LEFT JOIN \"event_tag\" t ON t.\"event_id\" = j.\"ordering\" "
          + "GROUP BY j.\"persistence_id\", j.\"sequence_number\", j.\"event_ser_id\", j.\"event_ser_manifest\", "
          + "j.\"ordering\" ORDER BY 1, 2";

  /** Opens a JDBC connection to the journal's database. */
  interface Connector {
    Connection connect() throws SQLException;
  }

  private static Journal read(Connector db, boolean postgres) throws SQLException {
    List<String> rows = new ArrayList<>();
    TreeMap<String, Long> lastOrdering = new TreeMap<>();
    List<Integer> events = new ArrayList<>();
    List<Integer> statements = new ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(postgres ? ROWS_POSTGRES : ROWS_H2)) {
        while (rs.next()) {
          String pid = rs.getString(1);
          long ordering = rs.getLong(5);
          Long before = lastOrdering.put(pid, ordering);
          assertTrue(
              before == null || before < ordering, pid + ": orderings follow sequence numbers");
          rows.add(
              pid
                  + " #"
                  + rs.getLong(2)
                  + " "
                  + rs.getInt(3)
                  + "/"
                  + rs.getString(4)
                  + " tags="
                  + rs.getString(6));
        }
      }
      if (postgres) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT cmin::text) FROM event_journal "
                    + "GROUP BY xmin::text ORDER BY 1")) {
          while (rs.next()) {
            events.add(rs.getInt(1));
            statements.add(rs.getInt(2));
          }
        }
      }
    }
    return new Journal(rows, events, statements);
  }
}
