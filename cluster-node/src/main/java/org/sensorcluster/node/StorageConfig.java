package org.sensorcluster.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Chooses the database: PostgreSQL when {@code sensors.db.url} is set, else an embedded H2 file
 * database under {@code sensors.data-dir}. Returns the settings pekko-persistence-jdbc, Slick and
 * Pekko Projections need for that choice, on top of the given configuration.
 */
public final class StorageConfig {

  /** What {@link #resolve} decided, for logging and for the read-model pool. */
  public record Storage(String url, String user, String password, boolean embedded) {
    public String describe() {
      return embedded ? "embedded H2 (" + url + ")" : "PostgreSQL (" + url + ")";
    }
  }

  private StorageConfig() {}

  public static Storage storageOf(Config config) {
    Config db = config.getConfig("sensors.db");
    String url = db.getString("url").trim();
    if (url.isEmpty()) {
      Path dir = Path.of(config.getString("sensors.data-dir")).toAbsolutePath().normalize();
      // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook must not close the database before
      // coordinated shutdown has finished the last writes.
      String h2 =
          "jdbc:h2:file:" + dir.resolve("sensors") + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE";
      return new Storage(h2, "sa", "", true);
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "SENSORS_DB_URL must be a PostgreSQL JDBC URL "
              + "(jdbc:postgresql://host:5432/db); got "
              + url);
    }
    return new Storage(
        withBatchRewrite(
            withConnectionSafety(
                url,
                db.getDuration("socket-timeout"),
                db.getDuration("idle-in-transaction-timeout"))),
        db.getString("user"),
        db.getString("password"),
        false);
  }

  /**
   * Adds pgjdbc's {@code reWriteBatchedInserts=true} (unless the URL sets it): a JDBC batch of
   * INSERTs (the journal's tag rows, the read models' rows and upserts) goes to PostgreSQL as
   * multi-row INSERTs instead of one statement per row, which is what the ceiling probe measures
   * too. The read-model handlers never put the same key twice into one batch (they fold a group of
   * events per key first), so a multi-row {@code ON CONFLICT DO UPDATE} never hits a row twice.
   */
  static String withBatchRewrite(String url) {
    if (url.contains("reWriteBatchedInserts=")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
  }

  /**
   * Adds to a PostgreSQL URL what keeps a silently lost connection from wedging the node (unless
   * the URL already sets it): pgjdbc waits forever on a dead socket by default, and the journal
   * then holds the stuck writes' sensors (their recovery waits for the write) and its circuit
   * breaker open; on the server, the abandoned transaction keeps its row locks. So: {@code
   * socketTimeout}, {@code tcpKeepAlive}, and a session {@code
   * idle_in_transaction_session_timeout}. See ADR 6.
   */
  static String withConnectionSafety(
      String url, Duration socketTimeout, Duration idleInTransaction) {
    StringBuilder u = new StringBuilder(url);
    String sep = url.contains("?") ? "&" : "?";
    if (!url.contains("socketTimeout=") && !socketTimeout.isZero()) {
      u.append(sep).append("socketTimeout=").append(Math.max(1, socketTimeout.toSeconds()));
      sep = "&";
    }
    if (!url.contains("tcpKeepAlive=")) {
      u.append(sep).append("tcpKeepAlive=true");
      sep = "&";
    }
    if (!url.contains("options=") && !idleInTransaction.isZero()) {
      u.append(sep)
          .append("options=-c%20idle_in_transaction_session_timeout%3D")
          .append(idleInTransaction.toMillis());
    }
    return u.toString();
  }

  /**
   * {@code config} with the journal, snapshot store and projections pointed at the chosen database.
   */
  public static Config resolve(Config config) {
    Storage s = storageOf(config);
    Map<String, Object> m = new HashMap<>();
    String prefix = "pekko-persistence-jdbc.shared-databases.sensors.";
    m.put(
        prefix + "profile", s.embedded() ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$");
    m.put(prefix + "db.url", s.url());
    m.put(prefix + "db.user", s.user());
    m.put(prefix + "db.password", s.password());
    m.put(prefix + "db.driver", s.embedded() ? "org.h2.Driver" : "org.postgresql.Driver");
    m.put("pekko.projection.jdbc.dialect", s.embedded() ? "h2-dialect" : "postgres-dialect");
    if (config.getBoolean("sensors.db.journal-batched-writes")) {
      m.put("jdbc-journal.dao", org.sensorcluster.journal.BatchedJournalDao.class.getName());
    }
    if (config.getBoolean("sensors.projections.shared-reader")) {
      java.util.List<String> roles =
          new java.util.ArrayList<>(config.getStringList("pekko.cluster.roles"));
      if (!roles.contains(org.sensorcluster.projections.SharedReader.ROLE)) {
        roles.add(org.sensorcluster.projections.SharedReader.ROLE);
      }
      m.put("pekko.cluster.roles", roles);
    }
    return ConfigFactory.parseMap(m).withFallback(config).resolve();
  }

  /**
   * Loads application.conf with {@code overrides} on top (system properties win over both),
   * resolves substitutions after merging (so an override of {@code sensors.*} reaches the Pekko
   * settings derived from it), then resolves storage and the cluster's TLS ({@link ClusterTls}).
   */
  public static Config load(Config overrides) {
    ConfigFactory.invalidateCaches();
    return ClusterTls.apply(
        resolve(ConfigFactory.load(overrides.withFallback(ConfigFactory.defaultApplication()))));
  }
}
