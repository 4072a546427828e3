package org.sensorcluster.projections;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;

/**
 * The connection pool behind the read models: projection handlers write through it (one transaction
 * per group, together with the offset) and queries read through it. Blocking JDBC calls run on
 * {@link #blockingExecutor()}, never on the actors' dispatcher.
 */
public final class ReadModelDatabase implements AutoCloseable {

  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final Executor blockingExecutor;

  public ReadModelDatabase(
      String url, String user, String password, int maxPoolSize, Executor blockingExecutor) {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(url);
    if (user != null && !user.isEmpty()) {
      cfg.setUsername(user);
    }
    if (password != null && !password.isEmpty()) {
      cfg.setPassword(password);
    }
    cfg.setMaximumPoolSize(maxPoolSize);
    cfg.setMinimumIdle(1);
    cfg.setAutoCommit(false);
    cfg.setPoolName("read-models");
    this.dialect = Dialect.ofJdbcUrl(url);
    dialect.dataSourceProperties().forEach(cfg::addDataSourceProperty);
    cfg.setConnectionTimeout(5_000);
    cfg.setInitializationFailTimeout(
        -1); // start even when the database is down; queries fail until it is back
    this.dataSource = new HikariDataSource(cfg);
    this.blockingExecutor = blockingExecutor;
  }

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /** The journal's highest ordering now, 0 when it is empty. */
  public long journalHead() throws SQLException {
    try (Connection c = connection();
        java.sql.Statement s = c.createStatement()) {
      try (java.sql.ResultSet rs =
          s.executeQuery("SELECT MAX(\"ordering\") FROM \"event_journal\"")) {
        return rs.next() ? rs.getLong(1) : 0;
      } finally {
        c.commit();
      }
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  public Executor blockingExecutor() {
    return blockingExecutor;
  }

  public PooledJdbcSession newSession() {
    return new PooledJdbcSession(dataSource);
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
