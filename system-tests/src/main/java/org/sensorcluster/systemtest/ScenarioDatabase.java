package org.sensorcluster.systemtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh PostgreSQL database for one scenario on the host's server (127.0.0.1:5432 by default;
 * SENSORS_TEST_PG_HOST/PORT/USER/PASSWORD as for the other PostgreSQL tests). The nodes reach it
 * through the {@link DatabaseProxy} on the bridge address; the checker connects to it directly.
 */
final class ScenarioDatabase implements AutoCloseable {

  static final String HOST = env("SENSORS_TEST_PG_HOST", "127.0.0.1");
  static final String PORT = env("SENSORS_TEST_PG_PORT", "5432");
  static final String USER = env("SENSORS_TEST_PG_USER", "postgres");
  static final String PASSWORD = env("SENSORS_TEST_PG_PASSWORD", "");

  final String name;
  private final boolean keep;

  private ScenarioDatabase(String name, boolean keep) {
    this.name = name;
    this.keep = keep;
  }

  static ScenarioDatabase create(String scenario, boolean keep) throws SQLException {
    String name =
        ("faults_"
                + scenario.replaceAll("[^A-Za-z0-9]", "_")
                + "_"
                + UUID.randomUUID().toString().substring(0, 8))
            .toLowerCase();
    try (Connection c = DriverManager.getConnection(adminUrl(), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return new ScenarioDatabase(name, keep);
  }

  /** The URL the nodes use: through the forwarder on the bridge address. */
  String nodeUrl(String bridgeIp) {
    return "jdbc:postgresql://" + bridgeIp + ":" + PORT + "/" + name;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name, USER, PASSWORD);
  }

  @Override
  public void close() {
    if (keep) {
      System.out.println("[faults] keeping database " + name + " (faults.keepDatabases=true)");
      return;
    }
    try (Connection c = DriverManager.getConnection(adminUrl(), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("[faults] could not drop database " + name + ": " + e.getMessage());
    }
  }

  static String adminUrl() {
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres?connectTimeout=5";
  }

  private static String env(String key, String dflt) {
    String v = System.getenv(key);
    return v == null || v.isEmpty() ? dflt : v;
  }
}
