package org.sensorcluster.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
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
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.domain.SensorState;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.AlertRaised;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorDecommissioned;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorMetadataUpdated;
import org.sensorcluster.domain.event.SensorWentSilent;
import org.sensorcluster.projections.alerts.AlertsHandler;
import org.sensorcluster.projections.alerts.AlertsModel;
import org.sensorcluster.projections.latest.LatestRow;
import org.sensorcluster.projections.latest.SensorLatestHandler;
import org.sensorcluster.projections.latest.SensorLatestTable;
import org.sensorcluster.projections.readings.ReadingsHandler;
import org.sensorcluster.projections.rollups.RollupsHandler;

/**
 * The handlers against a real database: what they write, that redelivered events change nothing
 * where the model promises it, that grouping does not change any value (rollup sums are exact), and
 * retention. Subclasses choose PostgreSQL or H2.
 */
abstract class ReadModelHandlersContract {

  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Duration RETENTION = Duration.ofDays(30);
  static final Thresholds LIMITS = new Thresholds(0.0, 10.0, 1.0);
  static final ProjectionCounters.Counter COUNTER = new ProjectionCounters().counter("t", "t");

  TestDatabases.Handle handle;
  ReadModelDatabase db;

  abstract TestDatabases.Handle open() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    handle = open();
    db = handle.db();
    try (Connection c = db.connection()) {
      for (ReadModel m : ReadModels.ALL) {
        ReadModelSchema.createTables(c, m, 1, db.dialect());
        ReadModelSchema.createTables(c, m, 2, db.dialect());
      }
      c.commit();
    }
  }

  @AfterEach
  void tearDown() {
    handle.drop().run();
  }

  private long seq;

  EventEnvelope<SensorEvent> env(String sensorId, long seqNr, SensorEvent e) {
    return EventEnvelope.create(
        Offset.sequence(++seq), SensorPersistenceIds.of(sensorId), seqNr, e, 0L);
  }

  void process(
      JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> h,
      List<EventEnvelope<SensorEvent>> group)
      throws Exception {
    PooledJdbcSession s = db.newSession();
    try {
      h.process(s, group);
      s.commit();
    } finally {
      s.close();
    }
  }

  List<List<Object>> rows(String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = db.connection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          row.add(v instanceof java.math.BigDecimal b ? b.stripTrailingZeros().toPlainString() : v);
        }
        out.add(row);
      }
      c.commit();
    }
    return out;
  }

  static Reading r(String id, Instant ts, double v) {
    return new Reading(id, ts, v);
  }

  static ReadingsRecorded recorded(Instant at, Reading... readings) {
    return new ReadingsRecorded(List.of(readings), at);
  }

  @Test
  void sensorLatestFoldsEveryEventTypeAndIgnoresRedelivery() throws Exception {
    SensorLatestHandler h = new SensorLatestHandler(db.dialect(), 1, COUNTER);
    SensorMetadata meta =
        new SensorMetadata(
            "Room", "temperature", "Cel", null, Map.of("site", "b", "floor", "2"), LIMITS);
    Reading high = r("h", NOW.minusSeconds(50), 12);
    List<EventEnvelope<SensorEvent>> first =
        List.of(
            env("s1", 1, new SensorMetadataUpdated(meta, NOW.minusSeconds(100))),
            env("s1", 2, recorded(NOW.minusSeconds(49), r("a", NOW.minusSeconds(60), 5), high)),
            env(
                "s1",
                3,
                new AlertRaised(1, AlertBound.ABOVE_MAX, high, LIMITS, NOW.minusSeconds(49))),
            env("s2", 1, recorded(NOW.minusSeconds(40), r(null, NOW.minusSeconds(40), 1))));
    process(h, first);
    process(
        h,
        List.of(
            env("s1", 4, recorded(NOW.minusSeconds(30), r("late", NOW.minusSeconds(3600), 3)))));
    List<List<Object>> before = rows("SELECT * FROM sensor_latest_g1 ORDER BY sensor_id");
    process(h, first); // redelivered: nothing changes
    assertEquals(before, rows("SELECT * FROM sensor_latest_g1 ORDER BY sensor_id"));

    SensorLatestTable t = new SensorLatestTable(db.dialect(), 1);
    try (Connection c = db.connection()) {
      Map<String, LatestRow> loaded = t.load(c, List.of("s1", "s2", "nope"));
      c.commit();
      LatestRow s1 = loaded.get("s1");
      assertEquals(3, s1.readingCount());
      assertEquals("h", s1.lastReading().readingId(), "the late reading must not become the last");
      assertEquals(meta, s1.metadata());
      assertEquals(1, s1.openAlert().alertNumber());
      assertEquals(12.0, s1.openAlert().trigger().value());
      assertEquals(4, s1.seqNr());
      assertNull(loaded.get("s2").metadata());
      assertEquals(1, loaded.get("s2").readingCount());
      assertEquals(2, loaded.size());
    }
  }

  /**
   * Whatever the grouping, and with windows redelivered (wholly or overlapping what comes next),
   * the table holds what the sensor itself knows after its events: the journals are written by the
   * domain's rules ({@link SensorState#eventsForReadings}, {@link SensorState#eventsForMetadata},
   * decommissioning last) and the expected rows come from the entity's own fold ({@link
   * SensorState#apply}), not from {@link LatestRow#apply}, which the handler uses: so on H2 too a
   * wrong fold fails here, and on PostgreSQL the in-SQL merge of new readings is checked as well.
   */
  @Test
  void sensorLatestHoldsTheDomainFoldOfTheEventsWhateverTheGroupingAndRedelivery()
      throws Exception {
    java.util.Random random = new java.util.Random(7);
    SensorLatestHandler h = new SensorLatestHandler(db.dialect(), 1, COUNTER);
    SensorMetadata withLimits =
        new SensorMetadata("Room", "temperature", "Cel", null, Map.of("site", "b"), LIMITS);
    SensorMetadata withoutLimits =
        new SensorMetadata("Hall", "humidity", null, null, Map.of(), null, Duration.ofSeconds(30));
    List<EventEnvelope<SensorEvent>> all = new ArrayList<>();
    Map<String, SensorState> states = new java.util.TreeMap<>();
    Map<String, Long> seqNrs = new java.util.HashMap<>();
    Map<String, Instant> lastEventAt = new java.util.HashMap<>();
    int decommissioned = 0;
    for (int k = 0; k < 800; k++) {
      String id = "s" + random.nextInt(15);
      SensorState state = states.getOrDefault(id, SensorState.EMPTY);
      if (state.decommissioned()) {
        continue; // the entity refuses everything after decommissioning
      }
      Instant at = NOW.minusMillis(random.nextInt(5_000) * 20L);
      int kind = random.nextInt(100);
      List<SensorEvent> events;
      if (kind < 6) {
        events = state.eventsForMetadata(random.nextInt(3) == 0 ? withoutLimits : withLimits, at);
      } else if (kind == 6 && k > 400) {
        events = List.of(new SensorDecommissioned(at));
        decommissioned++;
      } else if (kind < 12 && state.silenceAt(at, Duration.ofSeconds(1)) != null) {
        events = List.of(state.silenceAt(at, Duration.ofSeconds(1))); // what CheckSilence persists
      } else {
        Reading reading = r(random.nextInt(5) == 0 ? null : "r" + k, at, random.nextInt(200) / 8.0);
        events =
            state.eventsForReadings(
                random.nextBoolean()
                    ? List.of(reading)
                    : List.of(
                        reading,
                        r(
                            "b" + k,
                            at.minusMillis(random.nextInt(3) * 20L),
                            random.nextInt(200) / 8.0)),
                at);
      }
      for (SensorEvent event : events) {
        all.add(env(id, seqNrs.merge(id, 1L, Long::sum), event));
        state = state.apply(event, 256);
        lastEventAt.put(id, serverTimeOf(event));
      }
      states.put(id, state);
    }
    for (Map.Entry<String, SensorState> e : states.entrySet()) { // some sensors end silent
      SensorWentSilent silence = e.getValue().silenceAt(NOW.plusSeconds(3600), null);
      if (silence != null && e.getKey().hashCode() % 2 == 0) {
        all.add(env(e.getKey(), seqNrs.merge(e.getKey(), 1L, Long::sum), silence));
        e.setValue(e.getValue().apply(silence, 256));
        lastEventAt.put(e.getKey(), silence.decidedAt());
      }
    }
    assertTrue(
        decommissioned > 0
            && all.stream().anyMatch(e -> e.event() instanceof AlertCleared)
            && all.stream().anyMatch(e -> e.event() instanceof AlertRaised)
            && all.stream().anyMatch(e -> e.event() instanceof SensorWentSilent)
            && states.values().stream().anyMatch(SensorState::silent),
        "the journals hold every kind of event");
    Map<String, LatestRow> expected = new java.util.TreeMap<>();
    states.forEach(
        (id, st) ->
            expected.put(
                id,
                new LatestRow(
                    id,
                    st.readingCount(),
                    st.lastReading(),
                    st.lastRecordedAt(),
                    seqNrs.get(id),
                    st.metadata(),
                    st.openAlert(),
                    st.decommissionedAt(),
                    lastEventAt.get(id),
                    st.silent() ? st.silentAlert().raisedAt() : null)));

    int i = 0;
    while (i < all.size()) {
      int end = Math.min(all.size(), i + 1 + random.nextInt(80));
      process(h, all.subList(i, end));
      if (random.nextInt(3) == 0) { // a window redelivered, reaching past what was processed so far
        process(
            h,
            all.subList(
                Math.max(0, i - random.nextInt(60)),
                Math.min(all.size(), end + random.nextInt(30))));
      }
      i = end;
    }
    SensorLatestTable t = new SensorLatestTable(db.dialect(), 1);
    try (Connection c = db.connection()) {
      Map<String, LatestRow> loaded = new java.util.TreeMap<>(t.load(c, expected.keySet()));
      c.commit();
      assertEquals(expected, loaded);
    }
  }

  /** The server time an event carries (what {@code updated_at} of its sensor's row becomes). */
  private static Instant serverTimeOf(SensorEvent event) {
    if (event instanceof ReadingsRecorded e) {
      return e.recordedAt();
    }
    if (event instanceof SensorMetadataUpdated e) {
      return e.updatedAt();
    }
    if (event instanceof SensorDecommissioned e) {
      return e.decommissionedAt();
    }
    if (event instanceof AlertRaised e) {
      return e.raisedAt();
    }
    if (event instanceof AlertCleared e) {
      return e.clearedAt();
    }
    if (event instanceof SensorWentSilent e) {
      return e.decidedAt();
    }
    throw new IllegalArgumentException(event.toString());
  }

  @Test
  void readingsAreStoredOnceAndOldOnesAreNotWritten() throws Exception {
    ReadingsHandler h = new ReadingsHandler(db.dialect(), 1, CLOCK, RETENTION, COUNTER);
    List<EventEnvelope<SensorEvent>> group =
        List.of(
            env(
                "s1",
                1,
                recorded(NOW, r("a", NOW.minusSeconds(10), 1), r("b", NOW.minusSeconds(10), 2))),
            env("s1", 2, recorded(NOW, r("old", NOW.minus(Duration.ofDays(31)), 3))));
    process(h, group);
    process(h, group);
    List<List<Object>> rows =
        rows("SELECT seq_nr, idx, reading_value, reading_id FROM readings_g1 ORDER BY seq_nr, idx");
    assertEquals(2, rows.size(), rows.toString());
    assertEquals("b", rows.get(1).get(3));
  }

  @Test
  void rollupsDoNotDependOnGroupingAndLateReadingsLandInTheirOwnBucket() throws Exception {
    List<EventEnvelope<SensorEvent>> events = new ArrayList<>();
    double[] values = {0.1, 0.2, 0.3, 1e-7, 12345.678, -0.7};
    for (int i = 0; i < values.length; i++) {
      events.add(
          env("s1", i + 1, recorded(NOW, r("r" + i, NOW.minusSeconds(60 + 30L * i), values[i]))));
    }
    events.add(env("s1", 7, recorded(NOW, r("late", NOW.minus(Duration.ofHours(5)), 4))));
    process(
        new RollupsHandler(db.dialect(), 1, "sensor-0", CLOCK, Duration.ofDays(90), COUNTER),
        events);
    RollupsHandler singles =
        new RollupsHandler(db.dialect(), 2, "sensor-0", CLOCK, Duration.ofDays(90), COUNTER);
    for (int i = events.size() - 1; i >= 0; i--) {
      process(singles, List.of(events.get(i)));
    }
    for (String table : List.of("rollup_1m", "rollup_1h", "fleet_rollup_1m")) {
      List<List<Object>> a = rows("SELECT * FROM " + table + "_g1 ORDER BY 1, 2");
      assertEquals(a, rows("SELECT * FROM " + table + "_g2 ORDER BY 1, 2"), table);
      assertTrue(a.size() >= 2, table + " " + a);
    }
    List<List<Object>> hours =
        rows(
            "SELECT reading_count, value_sum, value_min, value_max FROM rollup_1h_g1"
                + " ORDER BY bucket_start");
    assertEquals(2, hours.size(), hours.toString());
    assertEquals(
        1L, ((Number) hours.get(0).get(0)).longValue(), "the late reading is alone in its hour");
    List<List<Object>> minutes = rows("SELECT SUM(reading_count) FROM rollup_1m_g1");
    assertEquals("7", String.valueOf(minutes.get(0).get(0)));
  }

  @Test
  void alertRaisedAndClearedInOneGroupEndsClosedAndRedeliveryAddsNothing() throws Exception {
    AlertsHandler h = new AlertsHandler(db.dialect(), 1, COUNTER);
    Reading high = r("h", NOW.minusSeconds(20), 12);
    Reading back = r("b", NOW.minusSeconds(10), 8);
    List<EventEnvelope<SensorEvent>> group =
        List.of(
            env(
                "s1",
                1,
                new AlertRaised(1, AlertBound.ABOVE_MAX, high, LIMITS, NOW.minusSeconds(19))),
            env(
                "s1",
                2,
                new AlertCleared(1, AlertBound.ABOVE_MAX, back, LIMITS, NOW.minusSeconds(9))),
            env("s1", 3, new AlertRaised(2, AlertBound.BELOW_MIN, r("l", NOW, -1), LIMITS, NOW)));
    process(h, group);
    process(h, group);
    List<List<Object>> rows =
        rows(
            "SELECT alert_number, bound, raised_value, cleared_value FROM alerts_g1"
                + " ORDER BY alert_number");
    assertEquals(2, rows.size());
    assertEquals(8.0, ((Number) rows.get(0).get(3)).doubleValue());
    assertNull(rows.get(1).get(3));
  }

  @Test
  void silenceIsAnAlertOfBoundSilentClosedByTheReadingThatEndsItAndSilentInTheLatestRow()
      throws Exception {
    AlertsHandler alerts = new AlertsHandler(db.dialect(), 1, COUNTER);
    SensorLatestHandler latest = new SensorLatestHandler(db.dialect(), 1, COUNTER);
    Reading last = r("x", NOW.minusSeconds(100), 4);
    Reading back = r("y", NOW.minusSeconds(5), 6);
    List<EventEnvelope<SensorEvent>> silence =
        List.of(
            env("s1", 1, recorded(NOW.minusSeconds(100), last)),
            env(
                "s1",
                2,
                new SensorWentSilent(
                    1, last, NOW.minusSeconds(100), Duration.ofSeconds(30), NOW.minusSeconds(60))));
    List<EventEnvelope<SensorEvent>> end =
        List.of(
            env("s1", 3, recorded(NOW.minusSeconds(5), back)),
            env("s1", 4, new AlertCleared(1, AlertBound.SILENT, back, null, NOW.minusSeconds(5))));
    process(alerts, silence);
    process(latest, silence);
    process(alerts, silence); // redelivered: nothing twice
    assertEquals(
        List.of(List.of(1L, "SILENT", "x")),
        rows(
            "SELECT alert_number, bound, raised_reading_id FROM alerts_g1 WHERE cleared_at IS NULL"));
    SensorLatestTable t = new SensorLatestTable(db.dialect(), 1);
    try (Connection c = db.connection()) {
      assertEquals(NOW.minusSeconds(60), t.load(c, List.of("s1")).get("s1").silentSince());
      assertEquals(
          NOW.minusSeconds(60), t.load(c, List.of("s1")).get("s1").toSummary().silentSince());
      c.commit();
    }
    process(alerts, end);
    process(latest, end);
    assertEquals(
        List.of(List.of(1L, "SILENT")),
        rows("SELECT alert_number, bound FROM alerts_g1 WHERE cleared_at IS NOT NULL"));
    try (Connection c = db.connection()) {
      LatestRow row = t.load(c, List.of("s1")).get("s1");
      c.commit();
      assertNull(row.silentSince(), "the reading ended the silence");
      assertEquals(back, row.lastReading());
    }
  }

  @Test
  void retentionDeletesOnlyOldRowsOfEveryLiveGeneration() throws Exception {
    createOffsetTables();
    Generations generations = new Generations(db);
    generations.initialize();
    process(
        new SensorLatestHandler(db.dialect(), 1, COUNTER),
        List.of(env("s1", 1, recorded(NOW, r("a", NOW, 1)))));
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      String old = "TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00'";
      String recent = "TIMESTAMP WITH TIME ZONE '2026-11-22 11:00:00+00'";
      s.execute("INSERT INTO readings_g1 VALUES ('s1', " + old + ", 1, 0, 1.0, NULL)");
      s.execute("INSERT INTO readings_g1 VALUES ('s1', " + recent + ", 1, 1, 2.0, NULL)");
      s.execute(
          "INSERT INTO rollup_1m_g1 VALUES ('s1', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00', 1, 1, 1, 1)");
      s.execute("INSERT INTO rollup_1m_g1 VALUES ('s1', " + recent + ", 1, 2, 2, 2)");
      c.commit();
    }
    ReadModelSettings settings =
        new ReadModelSettings(
            8,
            500,
            Duration.ofMillis(50),
            Duration.ofMillis(500),
            Duration.ofSeconds(2),
            Duration.ofSeconds(60),
            RETENTION,
            Duration.ofDays(90),
            Duration.ofMinutes(10));
    assertEquals(2, new Retention(db, generations, settings, CLOCK).run());
    assertEquals(1, rows("SELECT * FROM readings_g1").size());
    assertEquals(1, rows("SELECT * FROM rollup_1m_g1").size());
  }

  @Test
  void rebuildStartsOnceSwapsOnceAndDropsTheRetiredGeneration() throws Exception {
    createOffsetTables();
    Generations generations = new Generations(db);
    generations.initialize();
    assertEquals(1, generations.current(AlertsModel.INSTANCE).active());
    int gen = generations.startRebuild(AlertsModel.INSTANCE, NOW.toEpochMilli());
    assertEquals(2, gen);
    assertThrows(
        IllegalStateException.class,
        () -> generations.startRebuild(AlertsModel.INSTANCE, NOW.toEpochMilli()));
    assertTrue(generations.swap(AlertsModel.INSTANCE, 1, 2, NOW.toEpochMilli()));
    assertTrue(
        !generations.swap(AlertsModel.INSTANCE, 1, 2, NOW.toEpochMilli()),
        "a second swap must do nothing");
    Generations.State s = generations.current(AlertsModel.INSTANCE);
    assertEquals(2, s.active());
    assertNull(s.building());
    assertEquals(1, s.retired());
    generations.dropRetired(AlertsModel.INSTANCE, 1);
    assertNull(generations.current(AlertsModel.INSTANCE).retired());
    assertThrows(SQLException.class, () -> rows("SELECT * FROM alerts_g1"));
    assertNotNull(rows("SELECT * FROM alerts_g2"));
    assertNotEquals(generations.current(AlertsModel.INSTANCE).next(), 2);
  }

  private void createOffsetTables() throws SQLException {
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS \"pekko_projection_offset_store\" (\"projection_name\" VARCHAR(255),"
              + " \"projection_key\" VARCHAR(255), \"current_offset\" VARCHAR(255))");
      s.execute(
          "CREATE TABLE IF NOT EXISTS \"pekko_projection_management\" (\"projection_name\" VARCHAR(255),"
              + " \"projection_key\" VARCHAR(255), \"paused\" BOOLEAN, \"last_updated\" BIGINT)");
      c.commit();
    }
  }
}
