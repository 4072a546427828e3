package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.sensorcluster.projections.ReadModelDatabase;
import org.sensorcluster.testing.TestPostgres;

/**
 * The cursor secret on real PostgreSQL: generated once per cluster, shared, never a fixed default.
 */
class ClusterSecretsTest {

  @Test
  void the_first_node_generates_the_secret_and_every_other_one_reads_the_same() throws Exception {
    TestPostgres pg = TestPostgres.createDatabase("secrets");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (ReadModelDatabase db =
        new ReadModelDatabase(pg.url(), pg.user(), pg.password(), 6, Runnable::run)) {
      try (Connection c = db.connection();
          Statement s = c.createStatement()) {
        s.execute(ClusterSecrets.CREATE_TABLE);
        c.commit();
      }
      List<CompletableFuture<String>> racing =
          java.util.stream.IntStream.range(0, 6)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () -> {
                            try {
                              return ClusterSecrets.get(db, ClusterSecrets.CURSOR, "");
                            } catch (java.sql.SQLException e) {
                              throw new IllegalStateException(e);
                            }
                          },
                          pool))
              .toList();
      Set<String> seen = new java.util.HashSet<>();
      racing.forEach(f -> seen.add(f.join()));
      assertEquals(1, seen.size(), "six nodes starting at once agree on one secret: " + seen);
      String secret = seen.iterator().next();
      assertTrue(secret.matches("[0-9a-f]{64}"), secret);
      assertEquals(
          secret, ClusterSecrets.get(db, ClusterSecrets.CURSOR, null), "kept across restarts");
      assertEquals(
          "configured-one", ClusterSecrets.get(db, ClusterSecrets.CURSOR, "configured-one"));
    } finally {
      pool.shutdownNow();
      pg.drop();
    }
    TestPostgres other = TestPostgres.createDatabase("secrets2");
    try (ReadModelDatabase db =
        new ReadModelDatabase(other.url(), other.user(), other.password(), 2, Runnable::run)) {
      try (Connection c = db.connection();
          Statement s = c.createStatement()) {
        s.execute(ClusterSecrets.CREATE_TABLE);
        c.commit();
      }
      String a = ClusterSecrets.get(db, ClusterSecrets.CURSOR, "");
      assertNotEquals("sensors-default-cursor-secret", a);
      assertEquals(64, a.length());
    } finally {
      other.drop();
    }
  }
}
