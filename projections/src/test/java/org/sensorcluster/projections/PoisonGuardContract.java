package org.sensorcluster.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.view.DeadLetter;

/**
 * {@link PoisonGuard} on a real database, driven as Pekko's JdbcProjection drives a handler with
 * {@link PoisonGuard#recoveryStrategy()}: a fresh session per attempt, commit on success, rollback
 * on failure. A poison event (one the handler fails on every time, as a bug or as a value the table
 * refuses) costs {@link PoisonGuard#RETRIES} failed attempts, then the group commits without it,
 * with one dead letter, once per generation.
 */
abstract class PoisonGuardContract {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  TestDatabases.Handle handle;
  ReadModelDatabase db;
  final DeadLetters deadLetters = new DeadLetters();

  abstract TestDatabases.Handle open() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    handle = open();
    db = handle.db();
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      DeadLetters.createTable(c);
      for (int gen = 1; gen <= 2; gen++) {
        s.execute(
            "CREATE TABLE applied_g"
                + gen
                + " (pid VARCHAR(64) NOT NULL, seq_nr BIGINT NOT NULL,"
                + " note VARCHAR(8) NOT NULL)");
      }
      c.commit();
    }
  }

  @AfterEach
  void tearDown() {
    handle.drop().run();
  }

  /**
   * Throws for sensor "bug" seq 2; writes a note too long for its column for sensor "long" seq 2.
   */
  static JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> handler(int gen) {
    return new JdbcHandler<>() {
      @Override
      public void process(PooledJdbcSession session, List<EventEnvelope<SensorEvent>> group)
          throws Exception {
        session.withConnection(
            c -> {
              for (EventEnvelope<SensorEvent> e : group) {
                String sensor = SensorPersistenceIds.sensorIdOf(e.persistenceId());
                if (sensor.equals("bug") && e.sequenceNr() == 2) {
                  throw new IllegalStateException("handler bug on " + e.persistenceId());
                }
                try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO applied_g" + gen + " VALUES (?, ?, ?)")) {
                  ps.setString(1, e.persistenceId());
                  ps.setLong(2, e.sequenceNr());
                  ps.setString(
                      3,
                      sensor.equals("long") && e.sequenceNr() == 2 ? "far too long for it" : "ok");
                  ps.executeUpdate();
                }
              }
              return null;
            });
      }
    };
  }

  static final ReadModel MODEL =
      new ReadModel() {
        @Override
        public String modelName() {
          return "applied";
        }

        @Override
        public List<String> baseTables() {
          return List.of("applied");
        }

        @Override
        public List<String> createStatements(int gen, Dialect dialect) {
          return List.of();
        }

        @Override
        public JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> handler(
            HandlerContext ctx) {
          return PoisonGuardContract.handler(ctx.generation());
        }
      };

  static List<EventEnvelope<SensorEvent>> journal(String poisonSensor) {
    List<EventEnvelope<SensorEvent>> out = new ArrayList<>();
    long offset = 100;
    for (String sensor : List.of("a", poisonSensor, "b")) {
      for (long seq = 1; seq <= 3; seq++) {
        SensorEvent ev =
            new ReadingsRecorded(
                List.of(new Reading("r" + seq, Instant.EPOCH, seq)), Instant.EPOCH);
        out.add(
            EventEnvelope.create(
                Offset.sequence(++offset), SensorPersistenceIds.of(sensor), seq, ev, 0L));
      }
    }
    return out;
  }

  /** Pekko's retryAndFail loop; returns the attempts that failed. */
  int runWithRetries(PoisonGuard guard, List<EventEnvelope<SensorEvent>> group) throws Exception {
    for (int attempt = 0; attempt <= PoisonGuard.RETRIES; attempt++) {
      PooledJdbcSession s = db.newSession();
      try {
        guard.process(s, group);
        s.commit();
        return attempt;
      } catch (Exception e) {
        s.rollback();
      } finally {
        s.close();
      }
    }
    throw new AssertionError(
        "the group still failed after " + (PoisonGuard.RETRIES + 1) + " attempts");
  }

  long applied(int gen) throws Exception {
    try (Connection c = db.connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM applied_g" + gen)) {
      rs.next();
      long n = rs.getLong(1);
      c.commit();
      return n;
    }
  }

  List<DeadLetter> deadLetterRows() throws Exception {
    try (Connection c = db.connection()) {
      List<DeadLetter> out = DeadLetters.list(c, 100);
      c.commit();
      return out;
    }
  }

  void poisonIsRetriedThenSkippedAndRecordedOnce(String poisonSensor, String errorFragment)
      throws Exception {
    List<EventEnvelope<SensorEvent>> group = journal(poisonSensor);
    PoisonGuard g1 = new PoisonGuard(handler(1), MODEL, 1, "sensor-3", deadLetters, CLOCK);
    assertEquals(PoisonGuard.RETRIES, runWithRetries(g1, group), "failed attempts before the skip");
    assertEquals(8, applied(1), "every event but the poison one is applied");
    List<DeadLetter> rows = deadLetterRows();
    assertEquals(1, rows.size(), rows.toString());
    DeadLetter d = rows.get(0);
    assertEquals("applied", d.model());
    assertEquals("applied-g1", d.projection());
    assertEquals(1, d.generation());
    assertEquals("sensor-3", d.tag());
    assertEquals(SensorPersistenceIds.of(poisonSensor), d.persistenceId());
    assertEquals(2, d.seqNr());
    assertEquals(105, d.offset(), "journal ordering of the poison event");
    assertEquals(CLOCK.millis(), d.recordedAt());
    assertTrue(d.error().toLowerCase().contains(errorFragment.toLowerCase()), d.error());
    assertEquals(Map.of("applied", 1L), deadLetters.recordedHere());

    // a rebuild (generation 2) skips the same event and records it once for its own projection
    PoisonGuard g2 = new PoisonGuard(handler(2), MODEL, 2, "sensor-3", deadLetters, CLOCK);
    assertEquals(PoisonGuard.RETRIES, runWithRetries(g2, group));
    assertEquals(8, applied(2));
    assertEquals(
        List.of("applied-g1", "applied-g2"),
        deadLetterRows().stream().map(DeadLetter::projection).sorted().toList());
    assertEquals(Map.of("applied", 2L), deadLetters.recordedHere());
  }

  @Test
  void aHandlerBugOnOneEventIsRetriedThenSkippedAndRecordedOnce() throws Exception {
    poisonIsRetriedThenSkippedAndRecordedOnce("bug", "IllegalStateException: handler bug on");
  }

  @Test
  void aValueTheTableRefusesIsRetriedThenSkippedAndRecordedOnce() throws Exception {
    poisonIsRetriedThenSkippedAndRecordedOnce("long", "too long");
  }

  @Test
  void aGroupWithoutPoisonCommitsAtOnce() throws Exception {
    PoisonGuard g = new PoisonGuard(handler(1), MODEL, 1, "sensor-0", deadLetters, CLOCK);
    assertEquals(0, runWithRetries(g, journal("c")));
    assertEquals(9, applied(1));
    assertEquals(List.of(), deadLetterRows());
  }

  @Test
  void aFailureOfTheDatabaseIsNeverDeadLettered() throws Exception {
    JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> down =
        new JdbcHandler<>() {
          @Override
          public void process(PooledJdbcSession session, List<EventEnvelope<SensorEvent>> group)
              throws Exception {
            throw new java.sql.SQLException("connection refused (simulated)", "08001");
          }
        };
    PoisonGuard g = new PoisonGuard(down, MODEL, 1, "sensor-0", deadLetters, CLOCK);
    for (int attempt = 0; attempt < 3 * (PoisonGuard.RETRIES + 1); attempt++) {
      PooledJdbcSession s = db.newSession();
      try {
        assertThrows(java.sql.SQLException.class, () -> g.process(s, journal("c")));
        s.rollback();
      } finally {
        s.close();
      }
    }
    assertEquals(List.of(), deadLetterRows());
    assertEquals(Map.of(), deadLetters.recordedHere());
  }
}
