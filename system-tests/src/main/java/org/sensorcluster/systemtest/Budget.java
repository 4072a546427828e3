package org.sensorcluster.systemtest;

import java.util.ArrayList;
import java.util.List;

/**
 * What a fault scenario may cost the devices, checked after every run: fewer acknowledged readings
 * than {@code minAcknowledged}, more load-phase seconds without one fully acknowledged request than
 * {@code maxSecondsWithoutService}, more 503 replies than {@code max503}, or more node exits the
 * harness did not cause than {@code allowedExits} (the split-brain resolver downing the losing
 * side; a node that exits while starting is never expected) fails the scenario. The figures are the
 * documented availability of each fault with the shipped settings (docs/fault-tests.md); a change
 * that makes an outage longer fails the suite instead of passing because nothing was lost.
 */
record Budget(long minAcknowledged, long maxSecondsWithoutService, long max503, int allowedExits) {

  /** What is over budget, one line each; empty when the run is within it. */
  List<String> violations(
      long acknowledged, long secondsWithoutService, long refused503, int exits) {
    List<String> out = new ArrayList<>();
    if (acknowledged < minAcknowledged) {
      out.add(
          "only "
              + acknowledged
              + " readings acknowledged (budget: at least "
              + minAcknowledged
              + ")");
    }
    if (secondsWithoutService > maxSecondsWithoutService) {
      out.add(
          secondsWithoutService
              + " s without service (budget: "
              + maxSecondsWithoutService
              + " s)");
    }
    if (refused503 > max503) {
      out.add(refused503 + " replies 503 (budget: " + max503 + ")");
    }
    if (exits > allowedExits) {
      out.add(exits + " node exit(s) the harness did not cause (budget: " + allowedExits + ")");
    }
    return out;
  }

  String describe() {
    return String.format(
        ">= %d acknowledged, <= %d s without service, <= %d x 503, <= %d unexpected exit(s)",
        minAcknowledged, maxSecondsWithoutService, max503, allowedExits);
  }
}
