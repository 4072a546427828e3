package org.sensorcluster.projections;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Real databases for the handler tests: a fresh PostgreSQL database on the local server
 * (SENSORS_TEST_PG_HOST/PORT/USER/PASSWORD; skipped loudly when absent, a failure under CI=true),
 * or an H2 file database in a temporary directory.
 */
final class TestDatabases {

  private static final String HOST = env("SENSORS_TEST_PG_HOST", "127.0.0.1");
  private static final String PORT = env("SENSORS_TEST_PG_PORT", "5432");
  private static final String USER = env("SENSORS_TEST_PG_USER", "postgres");
  private static final String PASSWORD = env("SENSORS_TEST_PG_PASSWORD", "");

  private TestDatabases() {}

  /** A database and how to get rid of it. */
  record Handle(ReadModelDatabase db, Runnable drop) {}

  static Handle postgres() {
    String name = "it_readmodels_" + UUID.randomUUID().toString().substring(0, 8);
    String admin = "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres";
    try (Connection c = DriverManager.getConnection(admin, USER, PASSWORD); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      String msg = "PostgreSQL at " + HOST + ":" + PORT + " is not reachable (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(msg + ": CI=true, so PostgreSQL tests must not be skipped");
      }
      System.err.println("*** SKIPPING PostgreSQL tests: " + msg + " ***");
      Assumptions.abort(msg);
    }
    ReadModelDatabase db = new ReadModelDatabase("jdbc:postgresql://" + HOST + ":" + PORT + "/" + name, USER, PASSWORD,
        4, Executors.newFixedThreadPool(4));
    return new Handle(db, () -> {
      db.close();
      try (Connection c = DriverManager.getConnection(admin, USER, PASSWORD); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (SQLException e) {
        System.err.println("could not drop " + name + ": " + e.getMessage());
      }
    });
  }

  static Handle h2(Path dir) {
    ReadModelDatabase db = new ReadModelDatabase("jdbc:h2:file:" + dir.resolve("rm") + ";DB_CLOSE_DELAY=-1", "", "",
        4, Executors.newFixedThreadPool(4));
    return new Handle(db, db::close);
  }

  private static String env(String key, String dflt) {
    String v = System.getenv(key);
    return v == null || v.isEmpty() ? dflt : v;
  }
}
