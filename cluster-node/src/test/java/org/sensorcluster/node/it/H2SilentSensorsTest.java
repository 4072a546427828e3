package org.sensorcluster.node.it;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link SilentSensorsContract} on the embedded H2 database. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class H2SilentSensorsTest extends SilentSensorsContract {

  @TempDir Path dataDir;

  @Override
  Config storage() {
    return TestNodes.h2(dataDir);
  }
}
