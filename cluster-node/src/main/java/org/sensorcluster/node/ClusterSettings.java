package org.sensorcluster.node;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code sensors.cluster}: how this node finds the cluster, and when a paused node halts.
 *
 * @param discovery {@value #SEED_NODES} or {@value #KUBERNETES_API}
 * @param seedNodes {@code sensors.cluster.seed-nodes}, host:port entries (with seed-nodes)
 * @param pauseHaltAfter how long a pause may last before the node halts ({@link PauseFence})
 * @param bootstrapPods the label selector of the pods cluster bootstrap contacts; null unless
 *     {@value #KUBERNETES_API}
 */
record ClusterSettings(
    String discovery, String seedNodes, Duration pauseHaltAfter, String bootstrapPods) {

  static final String SEED_NODES = "seed-nodes";
  static final String KUBERNETES_API = "kubernetes-api";

  /** From the whole configuration: the pause fence's default derives from Pekko's settings. */
  static ClusterSettings fromConfig(Config config) {
    String discovery = discoveryOf(config);
    return new ClusterSettings(
        discovery,
        config.getString("sensors.cluster.seed-nodes"),
        pauseHaltAfter(config),
        discovery.equals(KUBERNETES_API) ? bootstrapPodsOf(config) : null);
  }

  /** Whether the node joins through cluster bootstrap (else through the seed nodes). */
  boolean bootstrap() {
    return discovery.equals(KUBERNETES_API);
  }

  /** {@code sensors.cluster.discovery}: {@value #SEED_NODES} or {@value #KUBERNETES_API}. */
  static String discoveryOf(Config config) {
    String d = config.getString("sensors.cluster.discovery").trim();
    if (!d.equals(SEED_NODES) && !d.equals(KUBERNETES_API)) {
      throw new IllegalArgumentException(
          "SENSORS_DISCOVERY must be "
              + SEED_NODES
              + " or "
              + KUBERNETES_API
              + ", got '"
              + d
              + "'");
    }
    return d;
  }

  /**
   * {@code sensors.cluster.pause-halt-after}; auto = failure detection pause + the resolver's
   * stable-after.
   */
  static Duration pauseHaltAfter(Config config) {
    String v = config.getString("sensors.cluster.pause-halt-after");
    if (!v.equals("auto")) {
      return config.getDuration("sensors.cluster.pause-halt-after");
    }
    return config
        .getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause")
        .plus(config.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
  }

  private static String bootstrapPodsOf(Config config) {
    return config
        .getString("pekko.discovery.kubernetes-api.pod-label-selector")
        .replace(
            "%s",
            config.getString(
                "pekko.management.cluster.bootstrap.contact-point-discovery.service-name"));
  }
}
