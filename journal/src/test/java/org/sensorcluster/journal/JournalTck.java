package org.sensorcluster.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the two journal TCK classes share: the plugin configured the way the node configures it
 * (cluster-node's persistence.conf and StorageConfig: one shared database {@code sensors} for the
 * journal, snapshot store and read journal, the node's write-queue settings), and the PostgreSQL
 * DDL the node runs at start.
 */
final class JournalTck {

  private JournalTck() {}

  /**
   * The plugin on the shared database {@code sensors} at {@code url}; {@code dao} null = the
   * plugin's own.
   */
  static Config config(String url, String user, String password, boolean postgres, String dao) {
    String prefix = "pekko-persistence-jdbc.shared-databases.sensors.";
    Map<String, Object> db =
        new java.util.HashMap<>(
            Map.of(
                prefix + "profile",
                    postgres ? "slick.jdbc.PostgresProfile$" : "slick.jdbc.H2Profile$",
                prefix + "db.url", url,
                prefix + "db.user", user,
                prefix + "db.password", password,
                prefix + "db.driver", postgres ? "org.postgresql.Driver" : "org.h2.Driver"));
    if (dao != null) {
      db.put("jdbc-journal.dao", dao);
    }
    return ConfigFactory.parseMap(db)
        .withFallback(
            ConfigFactory.parseString(
                """
        pekko.loglevel = WARNING
        # the TCK's waits (3 s) times 5: the first write starts the plugin, and these machines' two
        # cores are shared (one H2 run timed out at 3 s under a load average of 19)
        pekko.test.timefactor = 5
        pekko.persistence {
          journal.plugin = "jdbc-journal"
          snapshot-store.plugin = "jdbc-snapshot-store"
        }
        jdbc-journal {
          use-shared-db = "sensors"
          bufferSize = 50000
          batchSize = 400
          parallelism = 8
          circuit-breaker {
            max-failures = 100
            call-timeout = 10s
            reset-timeout = 5s
          }
        }
        jdbc-snapshot-store.use-shared-db = "sensors"
        jdbc-read-journal.use-shared-db = "sensors"
        pekko-persistence-jdbc.shared-databases.sensors.db {
          numThreads = 8
          maxConnections = 8
          minConnections = 2
          connectionTimeout = 5000
          queueSize = 10000
        }
        """))
        .resolve();
  }

  /**
   * The statements of the node's PostgreSQL journal DDL ({@code /schema/postgres-journal.sql}, from
   * this module's main resources): comment lines dropped, split at a ';' that ends a line, as
   * cluster-node's NodeSchema reads it.
   */
  static List<String> postgresJournalStatements() {
    String text;
    try (InputStream in = JournalTck.class.getResourceAsStream("/schema/postgres-journal.sql")) {
      if (in == null) {
        throw new IllegalStateException(
            "/schema/postgres-journal.sql is missing from the classpath");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
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
    return statements;
  }
}
