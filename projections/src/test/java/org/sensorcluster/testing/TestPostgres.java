package org.sensorcluster.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL the integration tests run against (never a mock). Each test class gets a
 * database of its own, created here and dropped afterwards. Settings: SENSORS_TEST_PG_HOST (default
 * 127.0.0.1), SENSORS_TEST_PG_PORT (5432), SENSORS_TEST_PG_USER (postgres),
 * SENSORS_TEST_PG_PASSWORD.
 *
 * <p>When no server answers, the tests are skipped loudly on a developer machine and FAIL when
 * {@code CI=true}: in CI a missing database is a broken build, not a reason to skip.
 */
public final class TestPostgres {

  public static final String HOST = env("SENSORS_TEST_PG_HOST", "127.0.0.1");
  public static final String PORT = env("SENSORS_TEST_PG_PORT", "5432");
  public static final String USER = env("SENSORS_TEST_PG_USER", "postgres");
  public static final String PASSWORD = env("SENSORS_TEST_PG_PASSWORD", "");

  private final String database;

  private TestPostgres(String database) {
    this.database = database;
  }

  /** Creates a fresh database, or skips/fails as described above. */
  public static TestPostgres createDatabase(String purpose) {
    String name =
        ("it_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      String msg =
          "PostgreSQL at " + HOST + ":" + PORT + " is not reachable (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(
            msg
                + ": CI=true, so PostgreSQL tests must not be skipped. Run .ci/run, which starts it.");
      }
      System.err.println("*** SKIPPING PostgreSQL tests: " + msg + " ***");
      Assumptions.abort("SKIPPED: " + msg);
    }
    return new TestPostgres(name);
  }

  public String url() {
    return url(database);
  }

  public String user() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  public Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(url(), USER, PASSWORD);
    c.setAutoCommit(true);
    return c;
  }

  public void drop() {
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("could not drop test database " + database + ": " + e.getMessage());
    }
  }

  private static String url(String db) {
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + db;
  }

  private static String env(String key, String dflt) {
    String v = System.getenv(key);
    return v == null || v.isEmpty() ? dflt : v;
  }
}
