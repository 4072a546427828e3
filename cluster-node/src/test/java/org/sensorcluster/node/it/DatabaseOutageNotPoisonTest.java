package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.projections.DeadLetters;
import org.sensorcluster.projections.Generations;
import org.sensorcluster.projections.HandlerContext;
import org.sensorcluster.projections.PoisonGuard;
import org.sensorcluster.projections.PooledJdbcSession;
import org.sensorcluster.projections.ProjectionCounters;
import org.sensorcluster.projections.ReadModelDatabase;
import org.sensorcluster.projections.ReadModels;
import org.sensorcluster.testing.TestPostgres;

/**
 * A database outage is not a poison event: the read-model connections of a projection go through a
 * {@link TcpProxy} to real PostgreSQL, which is cut while transactions are open. Every attempt
 * fails - more attempts than {@link PoisonGuard#RETRIES} allows a poison event - and none is
 * dead-lettered; once the proxy forwards again the same group commits whole.
 */
class DatabaseOutageNotPoisonTest {

  private TestPostgres pg;
  private final List<AutoCloseable> closeMe = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeMe) {
      c.close();
    }
    if (pg != null) {
      pg.drop();
    }
  }

  @Test
  void connectionsLostMidTransactionAreRetriedNeverDeadLettered() throws Exception {
    pg = TestPostgres.createDatabase("outage_poison");
    EventCountModel model = new EventCountModel();
    ReadModelDatabase direct = db(pg.url());
    new Generations(direct, ReadModels.ALL.with(model)).initialize();

    TcpProxy proxy = new TcpProxy(TestPostgres.HOST, Integer.parseInt(TestPostgres.PORT));
    closeMe.add(0, proxy);
    int attempts = 2 * (PoisonGuard.RETRIES + 1);
    ReadModelDatabase proxied =
        db("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + databaseName(pg.url()));
    List<PooledJdbcSession> open = new ArrayList<>();
    for (int i = 0; i < attempts; i++) {
      open.add(proxied.newSession()); // opened while the database is reachable
    }
    DeadLetters deadLetters = new DeadLetters();
    HandlerContext ctx =
        new HandlerContext(
            proxied.dialect(),
            1,
            "sensor-0",
            Clock.systemUTC(),
            null,
            new ProjectionCounters.Counter());
    PoisonGuard guard =
        new PoisonGuard(model.handler(ctx), model, 1, "sensor-0", deadLetters, Clock.systemUTC());
    List<EventEnvelope<SensorEvent>> group = group();

    proxy.cut();
    for (PooledJdbcSession s : open) {
      assertThrows(Exception.class, () -> guard.process(s, group));
      try {
        s.rollback();
      } catch (Exception expected) {
        // the connection is gone
      }
      s.close();
    }
    assertEquals(0, deadLetterRows(), "an outage is not a poison event");
    assertEquals(Map.of(), deadLetters.recordedHere());

    proxy.restore();
    PooledJdbcSession s = proxied.newSession();
    guard.process(s, group);
    s.commit();
    s.close();
    assertEquals(0, deadLetterRows());
    assertEquals(3, events("a"), "the whole group applied once the database is back");
  }

  private ReadModelDatabase db(String url) {
    ReadModelDatabase db =
        new ReadModelDatabase(
            url,
            pg.user(),
            pg.password(),
            2 * (PoisonGuard.RETRIES + 1) + 1,
            Executors.newSingleThreadExecutor());
    closeMe.add(db);
    return db;
  }

  private static String databaseName(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  private static List<EventEnvelope<SensorEvent>> group() {
    List<EventEnvelope<SensorEvent>> out = new ArrayList<>();
    for (long seq = 1; seq <= 3; seq++) {
      SensorEvent e =
          new ReadingsRecorded(List.of(new Reading("r" + seq, Instant.EPOCH, seq)), Instant.EPOCH);
      out.add(EventEnvelope.create(Offset.sequence(seq), SensorPersistenceIds.of("a"), seq, e, 0L));
    }
    return out;
  }

  private long deadLetterRows() throws Exception {
    return single("SELECT COUNT(*) FROM projection_dead_letters");
  }

  private long events(String sensor) throws Exception {
    return single("SELECT events FROM event_count_g1 WHERE sensor_id = '" + sensor + "'");
  }

  private long single(String sql) throws Exception {
    try (Connection c = pg.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
