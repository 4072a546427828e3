package org.sensorcluster.projections;

import java.nio.file.Files;

/** {@link PoisonGuardContract} on the embedded H2 default. */
class H2PoisonGuardTest extends PoisonGuardContract {
  @Override
  TestDatabases.Handle open() throws Exception {
    return TestDatabases.h2(Files.createTempDirectory("poison-h2"));
  }
}
