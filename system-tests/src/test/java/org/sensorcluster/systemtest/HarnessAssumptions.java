package org.sensorcluster.systemtest;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What every real-process test class checks first: root, the network tools, the node jar and
 * PostgreSQL ({@link Preconditions}). Missing: skipped loudly; under CI=true a failure saying what
 * to install.
 */
final class HarnessAssumptions {

  private HarnessAssumptions() {}

  static HarnessSettings require(String tests) {
    HarnessSettings settings = HarnessSettings.fromSystemProperties();
    List<String> missing = Preconditions.missing(settings);
    if (!missing.isEmpty()) {
      String msg =
          tests + " need " + String.join(", ", missing) + " — " + Preconditions.INSTALL_HINT;
      if (Preconditions.ci()) {
        fail("CI=true, so " + tests + " must not be skipped: " + msg);
      }
      System.err.println("\n*** SKIPPING " + tests + ": " + msg + " ***\n");
      Assumptions.abort("SKIPPED: " + msg);
    }
    return settings;
  }
}
