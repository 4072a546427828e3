package org.sensorcluster.node.it;

import com.typesafe.config.Config;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.sensorcluster.testing.TestPostgres;

/** {@link SilentSensorsContract} on PostgreSQL, in a database of its own. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresSilentSensorsTest extends SilentSensorsContract {

  private static TestPostgres pg;

  @BeforeAll
  static void createDatabase() {
    pg = TestPostgres.createDatabase("silence");
  }

  @AfterAll
  static void dropDatabase() {
    if (pg != null) {
      pg.drop();
    }
  }

  @Override
  Config storage() {
    return TestNodes.postgres(pg);
  }
}
