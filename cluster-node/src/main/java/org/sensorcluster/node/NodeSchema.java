package org.sensorcluster.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.sensorcluster.projections.ReadModelDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, at start and when missing, the tables of the journal, the snapshots, the projection
 * offsets and the node's own ({@link #NODE_TABLES}): on PostgreSQL under the {@link SchemaLock},
 * the journal's DDL on the lock's connection, so any number of nodes starting at once on an empty
 * or partly created database do it one after the other (ADR 13). Retries with backoff while the
 * database is not reachable, up to {@code timeout}. The read-model tables are created later, by the
 * read side ({@code Generations}).
 */
final class NodeSchema {

  private static final Logger log = LoggerFactory.getLogger(NodeSchema.class);
  static final String POSTGRES_JOURNAL_DDL = "/schema/postgres-journal.sql";
  static final String H2_JOURNAL_DDL = "/schema/h2/h2-create-schema.sql";

  /**
   * The node's own tables: members seen ({@link ClusterJoin}), API tokens ({@link TokenStore}),
   * secrets, cluster-wide settings ({@link ShardCount}).
   */
  static final List<String> NODE_TABLES =
      List.of(
          ClusterJoin.CREATE_TABLE,
          TokenStore.CREATE_TABLE,
          ClusterSecrets.CREATE_TABLE,
          ShardCount.CREATE_TABLE);

  private NodeSchema() {}

  static void create(
      ActorSystem<?> system,
      StorageConfig.Storage storage,
      ReadModelDatabase readModels,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoffMs = 200;
    while (true) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      try (SchemaLock lock = SchemaLock.acquire(storage, left)) {
        if (SchemaLock.isPostgres(storage)) {
          lock.execute(postgresJournalStatements());
          lock.execute(NODE_TABLES);
        } else {
          // the plugin's own H2 script, run here rather than by its SchemaUtils: SchemaUtils picks
          // the legacy schema for any journal DAO but its own, and the node's is BatchedJournalDao
          // (ADR 19)
          try (Connection c = readModels.connection();
              Statement s = c.createStatement()) {
            for (String ddl : h2JournalStatements()) {
              s.execute(ddl);
            }
            for (String ddl : NODE_TABLES) {
              s.execute(ddl);
            }
            c.commit();
          }
        }
        JdbcProjection.createTablesIfNotExists(readModels::newSession, system)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while creating the schema", e);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "database not reachable to create the journal schema: " + SensorNode.rootMessage(e),
              e);
        }
        log.warn(
            "database not ready ({}); retrying in {} ms", SensorNode.rootMessage(e), backoffMs);
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", ie);
        }
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
  }

  /**
   * Only {@link #NODE_TABLES} (under the schema lock on PostgreSQL): for the CLI, which starts no
   * actor system.
   */
  static void createNodeTables(
      StorageConfig.Storage storage, ReadModelDatabase db, Duration timeout)
      throws java.sql.SQLException {
    try (SchemaLock lock = SchemaLock.acquire(storage, timeout)) {
      if (SchemaLock.isPostgres(storage)) {
        lock.execute(NODE_TABLES);
        return;
      }
      try (Connection c = db.connection();
          Statement s = c.createStatement()) {
        for (String ddl : NODE_TABLES) {
          s.execute(ddl);
        }
        c.commit();
      }
    }
  }

  /**
   * The statements of {@value #POSTGRES_JOURNAL_DDL}: comments dropped, split at a ';' that ends a
   * line.
   */
  static List<String> postgresJournalStatements() {
    return statementsOf(POSTGRES_JOURNAL_DDL);
  }

  /**
   * pekko-persistence-jdbc's own H2 schema (the tables its queries expect), from its jar; its one
   * {@code CREATE UNIQUE INDEX} made idempotent like its {@code CREATE TABLE IF NOT EXISTS}.
   */
  static List<String> h2JournalStatements() {
    return statementsOf(H2_JOURNAL_DDL).stream()
        .map(ddl -> ddl.replace("CREATE UNIQUE INDEX \"", "CREATE UNIQUE INDEX IF NOT EXISTS \""))
        .toList();
  }

  private static List<String> statementsOf(String resource) {
    String text;
    try (InputStream in = NodeSchema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("--")) {
        continue;
      }
      current.append(l).append('\n');
      if (l.endsWith(";")) {
        statements.add(current.substring(0, current.length() - 2));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException(resource + " ends without ';'");
    }
    return statements;
  }
}
