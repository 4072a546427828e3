package org.sensorcluster.projections;

/** {@link PoisonGuardContract} on real PostgreSQL (where a failed statement aborts the transaction). */
class PostgresPoisonGuardTest extends PoisonGuardContract {
  @Override
  TestDatabases.Handle open() {
    return TestDatabases.postgres();
  }
}
