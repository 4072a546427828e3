package org.sensorcluster.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorDecommissioned;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorMetadataUpdated;
import org.sensorcluster.domain.event.SensorWentSilent;

/**
 * Silence rules of {@link SensorState}: when a sensor goes silent, once only, and how a reading
 * ends it.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SilenceRulesTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration FIVE_MIN = Duration.ofMinutes(5);

  private static SensorMetadata every(Duration interval, Thresholds t) {
    return new SensorMetadata("s", "temperature", "Cel", null, Map.of(), t, interval);
  }

  private static SensorState apply(SensorState s, List<SensorEvent> events) {
    for (SensorEvent e : events) {
      s = s.apply(e, 16);
    }
    return s;
  }

  private static SensorState withReadingAt(SensorState s, Instant recordedAt, double value) {
    return apply(s, s.eventsForReadings(List.of(new Reading(null, recordedAt, value)), recordedAt));
  }

  private static SensorState registered(Duration interval) {
    return apply(SensorState.EMPTY, SensorState.EMPTY.eventsForMetadata(every(interval, null), T0));
  }

  @Test
  void silentOnlyAfterMoreThanTheIntervalWithoutReadings() {
    SensorState s = withReadingAt(registered(FIVE_MIN), T0, 1.0);
    assertNull(s.silenceAt(T0.plus(FIVE_MIN), null), "exactly the interval is not longer than it");
    SensorWentSilent w = s.silenceAt(T0.plus(FIVE_MIN).plusMillis(1), null);
    assertEquals(
        new SensorWentSilent(
            1, new Reading(null, T0, 1.0), T0, FIVE_MIN, T0.plus(FIVE_MIN).plusMillis(1)),
        w);
  }

  @Test
  void silentOnceUntilTheNextReadingWhichClearsTheSilenceAlert() {
    SensorState s = withReadingAt(registered(FIVE_MIN), T0, 1.0);
    Instant later = T0.plus(Duration.ofHours(1));
    s = s.apply(s.silenceAt(later, null), 16);
    assertTrue(s.silent());
    assertEquals(AlertBound.SILENT, s.silentAlert().bound());
    assertEquals(1, s.alertsRaised());
    assertNull(s.silenceAt(later.plus(Duration.ofHours(1)), null), "not twice for one silence");

    Reading back = new Reading("b", later.plusSeconds(5), 2.0);
    List<SensorEvent> events = s.eventsForReadings(List.of(back), later.plusSeconds(5));
    assertEquals(
        List.of(
            new ReadingsRecorded(List.of(back), later.plusSeconds(5)),
            new AlertCleared(1, AlertBound.SILENT, back, null, later.plusSeconds(5))),
        events);
    s = apply(s, events);
    assertFalse(s.silent());
    assertNull(s.silentAlert());
  }

  @Test
  void silenceAndThresholdAlertsShareTheNumberingAndClearIndependently() {
    SensorState s =
        apply(
            SensorState.EMPTY,
            SensorState.EMPTY.eventsForMetadata(
                every(FIVE_MIN, new Thresholds(0.0, 10.0, 0.0)), T0));
    s = withReadingAt(s, T0, 20.0); // alert 1, above max
    assertEquals(1, s.openAlert().alertNumber());
    s = s.apply(s.silenceAt(T0.plus(Duration.ofHours(1)), null), 16);
    assertEquals(2, s.silentAlert().alertNumber());
    assertEquals(1, s.openAlert().alertNumber(), "the threshold alert stays open");

    Instant back = T0.plus(Duration.ofHours(2));
    List<SensorEvent> events = s.eventsForReadings(List.of(new Reading(null, back, 5.0)), back);
    assertEquals(3, events.size());
    assertEquals(AlertBound.SILENT, ((AlertCleared) events.get(1)).bound());
    assertEquals(AlertBound.ABOVE_MAX, ((AlertCleared) events.get(2)).bound());
    s = apply(s, events);
    assertNull(s.openAlert());
    assertNull(s.silentAlert());

    s = withReadingAt(s, back.plusSeconds(1), 30.0);
    assertEquals(3, s.openAlert().alertNumber(), "numbering goes on after the silence alert");
  }

  @Test
  void fleetDefaultAppliesWithoutAnOwnIntervalAndOwnIntervalWins() {
    SensorState unregistered = withReadingAt(SensorState.EMPTY, T0, 1.0);
    assertNull(
        unregistered.silenceAt(T0.plus(Duration.ofDays(1)), null), "no interval: silence is off");
    assertEquals(
        FIVE_MIN,
        unregistered.silenceAt(T0.plus(Duration.ofHours(1)), FIVE_MIN).expectedInterval());

    SensorState own = withReadingAt(registered(Duration.ofHours(2)), T0, 1.0);
    assertNull(
        own.silenceAt(T0.plus(Duration.ofHours(1)), FIVE_MIN), "the sensor's own interval wins");
    assertEquals(Duration.ofHours(2), own.expectedInterval(FIVE_MIN));
  }

  @Test
  void neverSilentWithoutReadingsOrWhenDecommissioned() {
    assertNull(registered(FIVE_MIN).silenceAt(T0.plus(Duration.ofDays(1)), null));
    SensorState s = withReadingAt(registered(FIVE_MIN), T0, 1.0);
    s = s.apply(new SensorDecommissioned(T0.plusSeconds(1)), 16);
    assertNull(s.silenceAt(T0.plus(Duration.ofDays(1)), null));
  }

  @Test
  void metadataChangesKeepTheSilence() {
    SensorState s = withReadingAt(registered(FIVE_MIN), T0, 1.0);
    s = s.apply(s.silenceAt(T0.plus(Duration.ofHours(1)), null), 16);
    s =
        s.apply(
            new SensorMetadataUpdated(
                every(Duration.ofDays(1), null), T0.plus(Duration.ofHours(2))),
            16);
    assertTrue(s.silent(), "a longer interval does not end a silence: only a reading does");
  }

  @Test
  void expectedIntervalIsBounded() {
    assertThrows(InvalidInputException.class, () -> every(Duration.ofMillis(999), null));
    assertThrows(
        InvalidInputException.class, () -> every(Duration.ofDays(30).plusSeconds(1), null));
    assertThrows(InvalidInputException.class, () -> every(Duration.ofSeconds(-5), null));
    assertEquals(Duration.ofSeconds(1), every(Duration.ofSeconds(1), null).expectedInterval());
    assertEquals(Duration.ofDays(30), every(Duration.ofDays(30), null).expectedInterval());
    assertEquals(Map.of("a", "b"), every(FIVE_MIN, null).withLabels(Map.of("a", "b")).labels());
    assertEquals(FIVE_MIN, every(FIVE_MIN, null).withLabels(Map.of("a", "b")).expectedInterval());
  }

  @Test
  void silenceIsNeverALimitThatClears() {
    assertFalse(new Thresholds(0.0, 1.0, 0.0).clears(AlertBound.SILENT, 0.5));
  }
}
