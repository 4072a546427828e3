package org.sensorcluster.node.it;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.node.StorageConfig;
import org.sensorcluster.testing.TestPostgres;

/** Starts in-process nodes on free ports (HTTP, Artery and management all on port 0). */
public final class TestNodes {

  /** The admin token of every test node (in-process and processes); {@link ApiClient} sends it. */
  public static final String ADMIN_TOKEN = "sct_admin-token-of-the-cluster-node-tests";

  private TestNodes() {}

  public static Config h2(Path dataDir) {
    return ConfigFactory.parseString(
        "sensors.data-dir = \"" + dataDir.toAbsolutePath() + "\"\n" + "sensors.db.url = \"\"");
  }

  static Config postgres(TestPostgres pg) {
    return ConfigFactory.parseString(
        "sensors.db.url = \""
            + pg.url()
            + "\"\n"
            + "sensors.db.user = \""
            + pg.user()
            + "\"\n"
            + "sensors.db.password = \""
            + pg.password()
            + "\"");
  }

  public static SensorNode start(Config storage) {
    return SensorNode.start(StorageConfig.load(baseOverrides().withFallback(storage)));
  }

  /** Loopback, free ports, fast projections, no JVM exit: what every in-process test node needs. */
  static Config baseOverrides() {
    return ConfigFactory.parseString(
        String.join(
            "\n",
            "sensors.http.host = 127.0.0.1",
            "sensors.http.port = 0",
            "sensors.http.drain-time = 0s",
            "sensors.auth.admin-token = \"" + ADMIN_TOKEN + "\"",
            "sensors.cluster.seed-nodes = \"\"",
            "sensors.projections.group-within = 50ms",
            "jdbc-read-journal.refresh-interval = 50ms",
            "pekko.remote.artery.canonical.port = 0",
            "pekko.management.http.port = 0",
            "pekko.management.http.hostname = 127.0.0.1",
            "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on",
            "pekko.coordinated-shutdown.exit-jvm = off",
            "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
            "pekko.loglevel = WARNING"));
  }
}
