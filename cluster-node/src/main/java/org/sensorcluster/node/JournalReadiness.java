package org.sensorcluster.node;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.sensorcluster.projections.ReadModelDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness check for {@code /ready}: the database that holds the journal answers a query on the
 * journal table within {@code sensors.db.readiness-timeout}. At most one probe query runs at a
 * time; a probe that arrives while one is still running (the database hangs) gets that query's
 * outcome, bounded by the same timeout, so a hung database never piles up blocked threads.
 */
public final class JournalReadiness implements Supplier<CompletionStage<Boolean>> {

  private static final Logger log = LoggerFactory.getLogger(JournalReadiness.class);
  private final AtomicReference<CompletableFuture<Boolean>> inFlight = new AtomicReference<>();

  private final ActorSystem system;
  private final Duration timeout;

  public JournalReadiness(ActorSystem system) {
    this.system = system;
    this.timeout = system.settings().config().getDuration("sensors.db.readiness-timeout");
  }

  @Override
  public CompletionStage<Boolean> get() {
    ReadModelDatabase db = NodeStatus.get(system).database();
    if (db == null) {
      return CompletableFuture.completedFuture(false); // not started yet
    }
    CompletableFuture<Boolean> running = inFlight.get();
    if (running == null || running.isDone()) {
      CompletableFuture<Boolean> mine = new CompletableFuture<>();
      if (inFlight.compareAndSet(running, mine)) {
        db.blockingExecutor().execute(() -> mine.complete(query(db)));
        running = mine;
      } else {
        running = inFlight.get();
      }
    }
    return running.copy().completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private boolean query(ReadModelDatabase db) {
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM \"event_journal\" WHERE 1 = 0")) {
        rs.next();
      }
      c.commit();
      return true;
    } catch (SQLException | RuntimeException e) {
      log.warn("readiness: the journal database does not answer: {}", e.getMessage());
      return false;
    }
  }
}
