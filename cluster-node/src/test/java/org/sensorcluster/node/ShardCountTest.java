package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.sensorcluster.projections.ReadModelDatabase;
import org.sensorcluster.testing.TestPostgres;

/** The number of sensor shards on real PostgreSQL: decided once per cluster, never changed. */
class ShardCountTest {

  private static final String JOURNAL =
      "CREATE TABLE \"event_journal\" (\"ordering\" BIGSERIAL, \"persistence_id\" VARCHAR(255))";

  @Test
  void aNewClusterTakesTheConfiguredNumberAndKeepsIt() throws Exception {
    TestPostgres pg = TestPostgres.createDatabase("shards");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (ReadModelDatabase db =
        new ReadModelDatabase(pg.url(), pg.user(), pg.password(), 6, Runnable::run)) {
      execute(db, ShardCount.CREATE_TABLE, JOURNAL);
      List<CompletableFuture<Integer>> racing =
          IntStream.range(0, 6)
              .mapToObj(i -> CompletableFuture.supplyAsync(() -> resolve(db, 100 + i % 2), pool))
              .toList();
      Set<Integer> seen = new HashSet<>();
      racing.forEach(f -> seen.add(f.join()));
      assertEquals(1, seen.size(), "six nodes starting at once agree on one number: " + seen);
      int chosen = seen.iterator().next();
      assertEquals(
          chosen, resolve(db, 30), "a node configured otherwise later uses the stored one");
    } finally {
      pool.shutdownNow();
      pg.drop();
    }
  }

  @Test
  void aClusterThatHasSensorsButNoStoredNumberKeepsPekkosDefault() throws Exception {
    TestPostgres pg = TestPostgres.createDatabase("shards_legacy");
    try (ReadModelDatabase db =
        new ReadModelDatabase(pg.url(), pg.user(), pg.password(), 2, Runnable::run)) {
      execute(
          db,
          ShardCount.CREATE_TABLE,
          JOURNAL,
          "INSERT INTO \"event_journal\" (\"persistence_id\") VALUES ('Sensor|s-1')");
      assertEquals(ShardCount.LEGACY, resolve(db, 100));
      assertEquals(ShardCount.LEGACY, resolve(db, 100), "and stores it");
    } finally {
      pg.drop();
    }
  }

  private static int resolve(ReadModelDatabase db, int configured) {
    try {
      return ShardCount.resolve(db, configured);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void execute(ReadModelDatabase db, String... statements) throws SQLException {
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
      c.commit();
    }
  }
}
