package org.sensorcluster.systemtest;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

/**
 * What the fault tests need from the machine: root (namespaces, iptables), the tools {@code ip}
 * (iproute2), {@code iptables} + {@code iptables-restore} (iptables), {@code socat} (socat), {@code
 * setsid} + {@code kill} (util-linux / procps), PostgreSQL on 127.0.0.1:5432, and the node jar.
 * {@link #missing} lists what is absent; the test turns that into a loud skip, or a failure under
 * CI=true.
 */
final class Preconditions {

  static final String INSTALL_HINT =
      "run as root; on Debian/Ubuntu: apt-get install -y iptables socat iproute2 util-linux procps";

  private Preconditions() {}

  static List<String> missing(HarnessSettings settings) {
    List<String> missing = new ArrayList<>();
    Shell.Result id = Shell.run("id", "-u");
    if (!id.ok() || !id.output().trim().equals("0")) {
      missing.add("root (uid 0; running as uid " + id.output().trim() + ")");
    }
    for (String tool : List.of("ip", "iptables", "iptables-restore", "socat", "setsid", "kill")) {
      if (!Shell.onPath(tool)) {
        missing.add("the '" + tool + "' command");
      }
    }
    if (!Files.isRegularFile(settings.nodeJar())) {
      missing.add(
          "the node jar " + settings.nodeJar() + " (build it: mvn -B -q package -DskipTests)");
    }
    try (Connection c =
        DriverManager.getConnection(
            ScenarioDatabase.adminUrl(), ScenarioDatabase.USER, ScenarioDatabase.PASSWORD)) {
      c.isValid(2);
    } catch (Exception e) {
      missing.add(
          "PostgreSQL at "
              + ScenarioDatabase.HOST
              + ":"
              + ScenarioDatabase.PORT
              + " ("
              + e.getMessage()
              + ")");
    }
    return missing;
  }

  static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }
}
