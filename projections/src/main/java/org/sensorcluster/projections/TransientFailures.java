package org.sensorcluster.projections;

import java.net.SocketException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;

/**
 * Tells a failure of the database (worth waiting out, never a poison event) from a failure of one
 * event (see docs/adr/0016-poison-events.md): connection errors (SQLState class 08), operator
 * intervention and cancellations such as statement timeouts (57), resource shortage (53),
 * transaction rollbacks such as deadlocks and serialization failures (40), PostgreSQL's lock
 * timeout (55P03), the JDBC transient/recoverable types (timeouts included), socket errors, and any
 * failure after which the session no longer answers {@code SELECT 1}.
 */
final class TransientFailures {

  private TransientFailures() {}

  /**
   * Whether {@code t} (or one of its causes) is a failure of the database rather than of the event.
   */
  static boolean isTransient(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLTransientException
          || c instanceof SQLRecoverableException
          || c instanceof SocketException
          || c instanceof ReadModelUnavailableException) {
        return true;
      }
      if (c instanceof SQLException sql && sql.getSQLState() != null) {
        String cls = sql.getSQLState().length() >= 2 ? sql.getSQLState().substring(0, 2) : "";
        if (cls.equals("08")
            || cls.equals("57")
            || cls.equals("53")
            || cls.equals("40")
            || sql.getSQLState().equals("55P03")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the connection still runs a statement (after the failed work was rolled back). */
  static boolean answers(Connection c) {
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(5);
      s.execute("SELECT 1");
      return true;
    } catch (SQLException e) {
      return false;
    }
  }
}
