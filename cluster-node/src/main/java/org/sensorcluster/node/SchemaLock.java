package org.sensorcluster.node;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serializes schema creation of nodes starting at the same time on one PostgreSQL database
 * (concurrent {@code CREATE TABLE IF NOT EXISTS} of one table can fail there with a unique
 * violation on {@code pg_type}): a session-level advisory lock on a connection of its own, released
 * on close.
 *
 * <p>Waiting nodes poll {@code pg_try_advisory_lock} in autocommit and sleep between polls, so
 * while they wait they hold no open transaction. A blocking {@code pg_advisory_lock} would: then a
 * statement of the lock holder that waits for every older transaction to end (as {@code CREATE
 * INDEX CONCURRENTLY} does) waits for the waiters, which wait for the holder, a deadlock PostgreSQL
 * cannot see because it spans two connections of the holder (ADR 13). The DDL itself runs on the
 * lock's own connection ({@link #execute}). On H2 (one node only) it does nothing.
 */
final class SchemaLock implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SchemaLock.class);
  private static final long KEY = 0x5e4504c2L;
  private static final long MAX_POLL_MILLIS = 250;

  private final Connection connection;

  private SchemaLock(Connection connection) {
    this.connection = connection;
  }

  /**
   * Takes the lock, waiting at most {@code timeout} for another node to release it.
   *
   * @throws SQLException when the database cannot be reached, or the lock is still held after
   *     {@code timeout}
   */
  static SchemaLock acquire(StorageConfig.Storage storage, Duration timeout) throws SQLException {
    if (!isPostgres(storage)) {
      return new SchemaLock(null);
    }
    Properties props = new Properties();
    if (storage.user() != null && !storage.user().isEmpty()) {
      props.setProperty("user", storage.user());
    }
    if (storage.password() != null && !storage.password().isEmpty()) {
      props.setProperty("password", storage.password());
    }
    Connection c = DriverManager.getConnection(storage.url(), props);
    try {
      c.setAutoCommit(true);
      long started = System.nanoTime();
      long deadline = started + timeout.toNanos();
      boolean logged = false;
      while (!tryLock(c)) {
        if (System.nanoTime() > deadline) {
          throw new SQLException(
              "the schema lock is still held by another node after " + timeout.toSeconds() + " s");
        }
        if (!logged) {
          log.info("another node is creating the schema; waiting for it");
          logged = true;
        }
        sleep(ThreadLocalRandom.current().nextLong(MAX_POLL_MILLIS / 2, MAX_POLL_MILLIS + 1));
      }
      if (logged) {
        log.info("schema lock taken after {} ms", (System.nanoTime() - started) / 1_000_000);
      }
      return new SchemaLock(c);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  static boolean isPostgres(StorageConfig.Storage storage) {
    return storage.url().startsWith("jdbc:postgresql:");
  }

  /** Runs {@code statements} one by one, in autocommit, on the lock's own connection. */
  void execute(List<String> statements) throws SQLException {
    if (connection == null) {
      throw new IllegalStateException("no lock connection on an embedded database");
    }
    try (Statement s = connection.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private static boolean tryLock(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static void sleep(long millis) throws SQLException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the schema lock", e);
    }
  }

  @Override
  public void close() throws SQLException {
    if (connection != null) {
      connection.close(); // ends the session, and with it the lock
    }
  }
}
