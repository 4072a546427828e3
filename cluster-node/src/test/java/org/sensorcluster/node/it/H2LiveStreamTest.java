package org.sensorcluster.node.it;

import com.typesafe.config.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The live streams on the embedded default: an H2 file database in a fresh directory. */
class H2LiveStreamTest extends LiveStreamContract {

  @TempDir static Path dataDir;

  @Override
  Config storage() {
    return TestNodes.h2(dataDir);
  }

  @Override
  void releaseStorage() {
    // @TempDir removes the database files
  }
}
