package org.sensorcluster.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.AlertRaised;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorDecommissioned;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorMetadataUpdated;

/**
 * Registry and alert rules of {@link SensorState}: thresholds, hysteresis, re-evaluation,
 * decommissioning.
 */
class AlertRulesTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private static final Thresholds LIMITS = new Thresholds(0.0, 10.0, 1.0);

  private static SensorMetadata withLimits(Thresholds t) {
    return new SensorMetadata("s", "temperature", "Cel", null, Map.of(), t);
  }

  private static Reading at(int second, double value) {
    return new Reading("r" + second, T0.plusSeconds(second), value);
  }

  /** Applies the events a command would persist, returning the events. */
  private static List<SensorEvent> offer(SensorState[] state, Reading... readings) {
    List<SensorEvent> events = state[0].eventsForReadings(List.of(readings), NOW);
    for (SensorEvent e : events) {
      state[0] = state[0].apply(e, 256);
    }
    return events;
  }

  private static SensorState[] registered(Thresholds t) {
    SensorState s = SensorState.EMPTY;
    for (SensorEvent e : s.eventsForMetadata(withLimits(t), NOW)) {
      s = s.apply(e, 256);
    }
    return new SensorState[] {s};
  }

  private static List<String> kinds(List<SensorEvent> events) {
    List<String> out = new ArrayList<>();
    for (SensorEvent e : events) {
      if (e instanceof AlertRaised r) {
        out.add("raised:" + r.alertNumber() + ":" + r.bound());
      } else if (e instanceof AlertCleared c) {
        out.add("cleared:" + c.alertNumber());
      }
    }
    return out;
  }

  @Test
  void readingAboveMaxRaisesAndInsideByMoreThanHysteresisClears() {
    SensorState[] s = registered(LIMITS);
    assertEquals(List.of(), kinds(offer(s, at(1, 10.0))), "on the limit is inside");
    List<SensorEvent> raised = offer(s, at(2, 10.5));
    assertInstanceOf(ReadingsRecorded.class, raised.get(0), "readings come first in the write");
    assertEquals(List.of("raised:1:ABOVE_MAX"), kinds(raised));
    assertEquals(1, s[0].openAlert().alertNumber());
    assertEquals(10.5, s[0].openAlert().trigger().value());

    assertEquals(
        List.of(),
        kinds(offer(s, at(3, 9.5))),
        "back inside but within the hysteresis: still open");
    assertEquals(
        List.of(), kinds(offer(s, at(4, 9.0))), "exactly the hysteresis is not more than it");
    assertEquals(List.of("cleared:1"), kinds(offer(s, at(5, 8.9))));
    assertNull(s[0].openAlert());
  }

  @Test
  void hoveringOnTheLimitRaisesOnceNotAStorm() {
    SensorState[] s = registered(LIMITS);
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.addAll(kinds(offer(s, at(i, i % 2 == 0 ? 10.2 : 9.8))));
    }
    assertEquals(List.of("raised:1:ABOVE_MAX"), all);
  }

  @Test
  void belowMinRaisesAndJumpingAcrossClearsAndRaisesTheOtherBound() {
    SensorState[] s = registered(LIMITS);
    assertEquals(List.of("raised:1:BELOW_MIN"), kinds(offer(s, at(1, -0.5))));
    assertEquals(List.of("cleared:1", "raised:2:ABOVE_MAX"), kinds(offer(s, at(2, 15))));
    assertEquals(2, s[0].alertsRaised());
  }

  @Test
  void oneBatchCanRaiseAndClearInOrder() {
    SensorState[] s = registered(LIMITS);
    List<SensorEvent> events = offer(s, at(1, 11), at(2, 5), at(3, 12));
    assertEquals(List.of("raised:1:ABOVE_MAX", "cleared:1", "raised:2:ABOVE_MAX"), kinds(events));
    assertEquals(2, s[0].openAlert().alertNumber());
    AlertCleared cleared = (AlertCleared) events.get(2);
    assertEquals(5, cleared.reading().value());
  }

  @Test
  void lateReadingsNeverFlipTheAlertState() {
    SensorState[] s = registered(LIMITS);
    offer(s, at(100, 5));
    assertEquals(
        List.of(),
        kinds(offer(s, at(50, 50))),
        "older than the last reading: stored, not evaluated");
    assertNull(s[0].openAlert());
    assertEquals(2, s[0].readingCount());
    offer(s, at(200, 50));
    assertEquals(
        List.of(), kinds(offer(s, at(150, 5))), "a late in-range reading does not clear either");
    assertNotNull(s[0].openAlert());
  }

  @Test
  void withoutThresholdsNoAlerts() {
    SensorState[] s = {SensorState.EMPTY};
    assertEquals(List.of(), kinds(offer(s, at(1, 1e9))));
    assertEquals(0, s[0].alertsRaised());
  }

  @Test
  void onlyMaxOrOnlyMin() {
    SensorState[] s = registered(new Thresholds(null, 10.0, 0));
    assertEquals(List.of(), kinds(offer(s, at(1, -1e6))));
    assertEquals(List.of("raised:1:ABOVE_MAX"), kinds(offer(s, at(2, 10.01))));
    assertEquals(List.of("cleared:1"), kinds(offer(s, at(3, 9.99))));
  }

  @Test
  void changedThresholdsAreEvaluatedAgainstTheLastReading() {
    SensorState[] s = registered(LIMITS);
    offer(s, at(1, 8));
    List<SensorEvent> tighter =
        s[0].eventsForMetadata(withLimits(new Thresholds(0.0, 5.0, 0.5)), NOW);
    assertInstanceOf(SensorMetadataUpdated.class, tighter.get(0));
    assertEquals(List.of("raised:1:ABOVE_MAX"), kinds(tighter));
    for (SensorEvent e : tighter) {
      s[0] = s[0].apply(e, 256);
    }
    AlertRaised r = (AlertRaised) tighter.get(1);
    assertEquals(8, r.reading().value());
    assertEquals(5.0, r.thresholds().max());

    List<SensorEvent> same = s[0].eventsForMetadata(withLimits(new Thresholds(0.0, 5.0, 0.5)), NOW);
    assertEquals(List.of(), kinds(same), "still outside: the open alert stays, no second alert");

    List<SensorEvent> looser = s[0].eventsForMetadata(withLimits(LIMITS), NOW);
    assertEquals(List.of("cleared:1"), kinds(looser));
    for (SensorEvent e : looser) {
      s[0] = s[0].apply(e, 256);
    }
    s[0] =
        s[0].apply(
            s[0].eventsForMetadata(withLimits(new Thresholds(0.0, 5.0, 0.5)), NOW).get(1), 256);
    List<SensorEvent> removed = s[0].eventsForMetadata(withLimits(null), NOW);
    assertEquals(List.of("cleared:2"), kinds(removed), "thresholds removed: the open alert clears");
  }

  @Test
  void metadataWithoutReadingsRaisesNothing() {
    assertEquals(List.of(), kinds(SensorState.EMPTY.eventsForMetadata(withLimits(LIMITS), NOW)));
  }

  @Test
  void registrationAndDecommissionAreRemembered() {
    SensorState s = SensorState.EMPTY;
    assertTrue(!s.known() && !s.registered() && !s.decommissioned());
    s = s.apply(new SensorMetadataUpdated(withLimits(LIMITS), NOW), 256);
    assertTrue(s.known() && s.registered());
    s = s.apply(new SensorDecommissioned(NOW), 256);
    assertTrue(s.decommissioned());
    assertEquals(NOW, s.decommissionedAt());
    assertEquals(withLimits(LIMITS), s.metadata(), "history and metadata stay");
  }

  @Test
  void thresholdAndMetadataRules() {
    assertThrows(InvalidInputException.class, () -> new Thresholds(1.0, 1.0, 0));
    assertThrows(InvalidInputException.class, () -> new Thresholds(0.0, 1.0, 1.0));
    assertThrows(InvalidInputException.class, () -> new Thresholds(null, Double.NaN, 0));
    assertThrows(InvalidInputException.class, () -> new Thresholds(null, 1.0, -0.1));
    assertThrows(InvalidInputException.class, () -> new Location(90.1, 0));
    assertThrows(InvalidInputException.class, () -> new Location(0, Double.POSITIVE_INFINITY));
    assertThrows(
        InvalidInputException.class,
        () -> new SensorMetadata("a\u0000b", null, null, null, Map.of(), null));
    assertEquals(
        List.of("a", "b"),
        List.copyOf(
            new SensorMetadata(null, null, null, null, Map.of("b", "2", "a", "1"), null)
                .labels()
                .keySet()),
        "labels are kept sorted so their JSON is stable");
  }
}
