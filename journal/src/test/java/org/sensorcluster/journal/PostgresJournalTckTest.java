package org.sensorcluster.journal;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.runner.RunWith;
import org.sensorcluster.testing.TestPostgres;

/**
 * Pekko's journal TCK ({@code JournalSpec} through its Java entry point) against PostgreSQL with
 * the node's write path, {@link BatchedJournalDao}: a fresh database (TestPostgres: skipped loudly
 * without PostgreSQL, a failure under {@code CI=true}), the node's journal DDL, dropped afterwards.
 * Capabilities as pekko-persistence-jdbc's own JdbcJournalSpec declares them for its (non-legacy)
 * DAO: non-serializable events are rejected, events go through Pekko serialization, metadata is
 * stored.
 */
@RunWith(JournalTckRunner.class)
public class PostgresJournalTckTest extends NodeJournalSpec {

  /**
   * Shared by the instances JUnit makes of this class: surefire discovers the tests twice (to list
   * them, then to run them), which constructs the spec twice; only the one that runs uses the
   * database (the plugin connects on first use) and drops it in {@link #afterAll}.
   */
  private static TestPostgres database;

  private static Config config;

  public PostgresJournalTckTest() {
    super(databaseConfig());
  }

  private static synchronized Config databaseConfig() {
    if (config == null) {
      TestPostgres db = TestPostgres.createDatabase("journal_tck");
      try (Connection c = db.connect();
          Statement s = c.createStatement()) {
        for (String ddl : JournalTck.postgresJournalStatements()) {
          s.execute(ddl);
        }
      } catch (SQLException e) {
        db.drop();
        throw new IllegalStateException("cannot create the journal schema: " + e.getMessage(), e);
      }
      database = db;
      config =
          JournalTck.config(
              db.url(), db.user(), db.password(), true, BatchedJournalDao.class.getName());
    }
    return config;
  }

  @Override
  public void afterAll() {
    try {
      super.afterAll();
    } finally {
      synchronized (PostgresJournalTckTest.class) {
        database.drop();
        database = null;
        config = null;
      }
    }
  }
}
