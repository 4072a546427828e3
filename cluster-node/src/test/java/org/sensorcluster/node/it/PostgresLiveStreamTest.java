package org.sensorcluster.node.it;

import com.typesafe.config.Config;
import org.sensorcluster.testing.TestPostgres;

/** The live streams on real PostgreSQL, in a database of their own (dropped after). */
class PostgresLiveStreamTest extends LiveStreamContract {

  private TestPostgres pg;

  @Override
  Config storage() {
    pg = TestPostgres.createDatabase("live_stream");
    return TestNodes.postgres(pg);
  }

  @Override
  void releaseStorage() {
    if (pg != null) {
      pg.drop();
    }
  }
}
