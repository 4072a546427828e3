package org.sensorcluster.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link PoisonGuardContract} on real PostgreSQL (where a failed statement aborts the transaction).
 */
class PostgresPoisonGuardTest extends PoisonGuardContract {
  @Override
  TestDatabases.Handle open() {
    return TestDatabases.postgres();
  }

  /**
   * Contention is not poison: while another transaction holds the table, every attempt fails on its
   * lock timeout although the database answers {@code SELECT 1}; more attempts than a poison event
   * gets record nothing, and the group commits whole once the lock is gone.
   */
  @Test
  void aLockTimeoutWhileTheDatabaseAnswersIsNeverDeadLettered() throws Exception {
    PoisonGuard guard = new PoisonGuard(handler(1), MODEL, 1, "sensor-0", deadLetters, CLOCK);
    try (Connection blocker = db.connection();
        Statement s = blocker.createStatement()) {
      s.execute("LOCK TABLE applied_g1 IN EXCLUSIVE MODE");
      for (int attempt = 0; attempt < 2 * (PoisonGuard.RETRIES + 1); attempt++) {
        PooledJdbcSession session = db.newSession();
        try {
          session.withConnection(
              c -> c.createStatement().execute("SET LOCAL lock_timeout = '100ms'"));
          SQLException e =
              assertThrows(SQLException.class, () -> guard.process(session, journal("c")));
          assertEquals("55P03", e.getSQLState(), e.toString());
          session.rollback();
        } finally {
          session.close();
        }
      }
      blocker.rollback();
    }
    assertEquals(List.of(), deadLetterRows());
    assertEquals(Map.of(), deadLetters.recordedHere());
    assertEquals(0, runWithRetries(guard, journal("c")));
    assertEquals(9, applied(1));
  }
}
