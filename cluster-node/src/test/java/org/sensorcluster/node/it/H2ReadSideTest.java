package org.sensorcluster.node.it;

import com.typesafe.config.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side on the embedded default: an H2 file database in a fresh directory (one per
 * purpose).
 */
class H2ReadSideTest extends ReadSideContract {

  @TempDir static Path dataDir;

  @Override
  Config storage(String purpose) {
    return TestNodes.h2(dataDir.resolve(purpose));
  }

  @Override
  void releaseStorage() {
    // @TempDir removes the database files
  }
}
