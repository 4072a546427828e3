package org.sensorcluster.projections;

import java.nio.file.Files;

/** The handler contract on the embedded H2 default. */
class H2ReadModelHandlersTest extends ReadModelHandlersContract {
  @Override
  TestDatabases.Handle open() throws Exception {
    return TestDatabases.h2(Files.createTempDirectory("rm-h2"));
  }
}
