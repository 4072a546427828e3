package org.sensorcluster.node;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Serializes schema creation of nodes starting at the same time on one PostgreSQL database:
 * concurrent {@code CREATE TABLE IF NOT EXISTS} of the same table can fail there with a unique
 * violation on {@code pg_type} (seen in the fault tests). A session-level advisory lock on a
 * connection of its own, released on close. On H2 (one node only) it does nothing.
 */
final class SchemaLock implements AutoCloseable {

  private static final long KEY = 0x5e4504c2L;

  private final Connection connection;

  private SchemaLock(Connection connection) {
    this.connection = connection;
  }

  static SchemaLock acquire(StorageConfig.Storage storage) throws SQLException {
    if (!storage.url().startsWith("jdbc:postgresql:")) {
      return new SchemaLock(null);
    }
    java.util.Properties props = new java.util.Properties();
    if (storage.user() != null && !storage.user().isEmpty()) {
      props.setProperty("user", storage.user());
    }
    if (storage.password() != null && !storage.password().isEmpty()) {
      props.setProperty("password", storage.password());
    }
    Connection c = DriverManager.getConnection(storage.url(), props);
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(60);
      s.execute("SELECT pg_advisory_lock(" + KEY + ")");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return new SchemaLock(c);
  }

  @Override
  public void close() throws SQLException {
    if (connection != null) {
      connection.close(); // ends the session, and with it the lock
    }
  }
}
