package org.sensorcluster.systemtest;

import java.util.UUID;

/**
 * The admin token of the nodes this harness starts (as {@code SENSORS_ADMIN_TOKEN}), new for every
 * run, and sent by every client of the harness: the fault suite runs with authentication on.
 */
public final class SuiteToken {

  public static final String VALUE = "sct_suite-" + UUID.randomUUID();
  public static final String HEADER = "Authorization";

  private SuiteToken() {}

  /** The value of the {@value #HEADER} header. */
  public static String bearer() {
    return "Bearer " + VALUE;
  }
}
