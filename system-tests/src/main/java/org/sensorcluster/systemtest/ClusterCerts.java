package org.sensorcluster.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The cluster TLS files of a run (the fault suite runs with {@code SENSORS_CLUSTER_TLS=on}), made
 * by the script operators use, {@code k8s/cluster-certs.sh} (path: {@code
 * -Dfaults.clusterCertsScript}).
 */
final class ClusterCerts {

  private ClusterCerts() {}

  static Path make(Path dir) {
    Path script =
        Path.of(HarnessSettings.prop("faults.clusterCertsScript", "../k8s/cluster-certs.sh"))
            .toAbsolutePath()
            .normalize();
    try {
      Process p =
          new ProcessBuilder(script.toString(), dir.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(script + " failed (openssl installed?): " + out);
      }
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
