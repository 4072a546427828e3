package org.sensorcluster.node.it;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sensorcluster.testing.TestPostgres;

/**
 * The read side on real PostgreSQL, in databases of its own (created for this class, dropped
 * after).
 */
class PostgresReadSideTest extends ReadSideContract {

  private final Map<String, TestPostgres> databases = new LinkedHashMap<>();

  @Override
  Config storage(String purpose) {
    return TestNodes.postgres(databases.computeIfAbsent(purpose, TestPostgres::createDatabase));
  }

  @Override
  void releaseStorage() {
    databases.values().forEach(TestPostgres::drop);
    databases.clear();
  }
}
