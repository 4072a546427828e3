package org.sensorcluster.node.it;

import com.typesafe.config.Config;

/** The read side on real PostgreSQL, in a database of its own (created for this class, dropped after). */
class PostgresReadSideTest extends ReadSideContract {

  private TestPostgres pg;

  @Override
  Config storage() {
    if (pg == null) {
      pg = TestPostgres.createDatabase("readside");
    }
    return TestNodes.postgres(pg);
  }

  @Override
  void releaseStorage() {
    if (pg != null) {
      pg.drop();
      pg = null;
    }
  }
}
