package org.sensorcluster.projections;

/** The handler contract on real PostgreSQL. */
class PostgresReadModelHandlersTest extends ReadModelHandlersContract {
  @Override
  TestDatabases.Handle open() {
    return TestDatabases.postgres();
  }
}
