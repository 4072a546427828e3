package org.sensorcluster.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code sensors.cluster.tls}: Artery over TLS ({@code tls-tcp}) with Pekko's rotating-keys engine,
 * which reads PEM files (so a Kubernetes Secret mounts as is, and a renewed certificate is picked
 * up without a restart), requires mutual authentication against the cluster's CA and accepts only
 * peers whose certificate subject matches the node's own. Off by default (a single node has no
 * peers).
 */
final class ClusterTls {

  static final List<String> FILES = List.of("tls.key", "tls.crt", "ca.crt");
  private static final String ENGINE = "pekko.remote.artery.ssl.rotating-keys-engine.";

  private ClusterTls() {}

  /**
   * {@code config} with the Artery TLS settings when {@code sensors.cluster.tls.enabled}; fails on
   * missing files.
   */
  static Config apply(Config config) {
    if (!config.getBoolean("sensors.cluster.tls.enabled")) {
      return config;
    }
    Path dir = Path.of(config.getString("sensors.cluster.tls.dir")).toAbsolutePath();
    for (String f : FILES) {
      if (!Files.isReadable(dir.resolve(f))) {
        throw new IllegalArgumentException(
            "SENSORS_CLUSTER_TLS is on but "
                + dir.resolve(f)
                + " is missing or"
                + " unreadable (SENSORS_CLUSTER_TLS_DIR must hold tls.key, tls.crt and ca.crt; k8s/cluster-certs.sh"
                + " makes them)");
      }
    }
    return ConfigFactory.empty()
        .withValue("pekko.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
        .withValue(
            "pekko.remote.artery.ssl.ssl-engine-provider",
            ConfigValueFactory.fromAnyRef(
                "org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider"))
        .withValue(
            ENGINE + "key-file", ConfigValueFactory.fromAnyRef(dir.resolve("tls.key").toString()))
        .withValue(
            ENGINE + "cert-file", ConfigValueFactory.fromAnyRef(dir.resolve("tls.crt").toString()))
        .withValue(
            ENGINE + "ca-cert-file",
            ConfigValueFactory.fromAnyRef(dir.resolve("ca.crt").toString()))
        .withFallback(config);
  }
}
