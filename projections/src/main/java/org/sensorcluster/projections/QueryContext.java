package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * What a model's queries need from the runtime: statements bounded by the query timeout, the active
 * generation of a model, the dialect, clock and settings.
 */
public final class QueryContext {

  private final ReadModelRuntime runtime;
  private final int statementTimeoutSeconds;

  QueryContext(ReadModelRuntime runtime, Duration statementTimeout) {
    this.runtime = runtime;
    this.statementTimeoutSeconds = (int) Math.max(1, statementTimeout.toSeconds());
  }

  /** {@code sql} prepared with the statement timeout. */
  public PreparedStatement prepare(Connection c, String sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.setQueryTimeout(statementTimeoutSeconds);
    return ps;
  }

  /** The generation of {@code model} that answers queries; unavailable before the first refresh. */
  public int active(ReadModel model) {
    Generations.State s = runtime.generations().current(model);
    if (s == null) {
      throw new ReadModelUnavailableException(
          "read model " + model.modelName() + " is not initialized yet", null);
    }
    return s.active();
  }

  public Dialect dialect() {
    return runtime.database().dialect();
  }

  public Clock clock() {
    return runtime.clock();
  }

  public ReadModelSettings settings() {
    return runtime.settings();
  }
}
