package org.sensorcluster.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorState;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorWentSilent;
import org.sensorcluster.node.entity.SensorCommand.Changed;
import org.sensorcluster.node.entity.SensorCommand.CheckSilence;
import org.sensorcluster.node.entity.SensorCommand.GetSummary;
import org.sensorcluster.node.entity.SensorCommand.RecordReadings;
import org.sensorcluster.node.entity.SensorCommand.Recorded;
import org.sensorcluster.node.entity.SensorCommand.UpdateMetadata;

/**
 * {@link CheckSilence}: the entity writes a silence once, with its own clock, and a reading ends
 * it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SensorSilenceEntityTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static ActorTestKit testKit;

  private MovableClock clock;
  private EventSourcedBehaviorTestKit<SensorCommand, SensorEvent, SensorState> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("SensorSilenceEntityTest", SensorEntityTest.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newSensor() {
    clock = new MovableClock(T0);
    kit = kitWith(null);
    kit.clear();
  }

  private EventSourcedBehaviorTestKit<SensorCommand, SensorEvent, SensorState> kitWith(
      Duration fleetDefault) {
    SensorEntitySettings settings =
        new SensorEntitySettings(
            8, 100, 256, Duration.ofMillis(200), Duration.ofSeconds(1), true, fleetDefault);
    return EventSourcedBehaviorTestKit.create(
        testKit.system(),
        SensorEntity.create("quiet-1", settings, clock),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  private void register(Duration interval) {
    kit.<Changed>runCommand(
        r ->
            new UpdateMetadata(
                new SensorMetadata("q", null, null, null, Map.of(), null, interval), r));
  }

  private Recorded send(double value) {
    return kit.<Recorded>runCommand(
            r -> new RecordReadings(List.of(new Reading(null, clock.instant(), value)), r))
        .reply();
  }

  @Test
  void checkSilencePersistsOnceAfterTheIntervalAndNothingWhileReadingsAreRecent() {
    register(Duration.ofMinutes(5));
    send(1.0);
    clock.advance(Duration.ofMinutes(4));
    assertTrue(kit.runCommand(new CheckSilence()).hasNoEvents(), "a recent reading: not silent");
    clock.advance(Duration.ofMinutes(2));
    SensorWentSilent silence =
        kit.runCommand(new CheckSilence()).eventOfType(SensorWentSilent.class);
    assertEquals(
        new SensorWentSilent(
            1,
            new Reading(null, T0, 1.0),
            T0,
            Duration.ofMinutes(5),
            T0.plus(Duration.ofMinutes(6))),
        silence);
    clock.advance(Duration.ofMinutes(10));
    assertTrue(kit.runCommand(new CheckSilence()).hasNoEvents(), "not twice for one silence");

    kit.restart(); // as after passivation or a node restart: the silence is in the journal
    assertTrue(kit.runCommand(new CheckSilence()).hasNoEvents(), "not twice after recovery either");
    SensorSummary summary = kit.<SensorSummary>runCommand(GetSummary::new).reply();
    assertEquals(T0.plus(Duration.ofMinutes(6)), summary.silentSince());
  }

  @Test
  void theNextReadingClearsTheSilenceAlertInTheSameWrite() {
    register(Duration.ofSeconds(2));
    send(1.0);
    clock.advance(Duration.ofSeconds(3));
    kit.runCommand(new CheckSilence());
    clock.advance(Duration.ofSeconds(1));
    var result =
        kit.<Recorded>runCommand(
            r -> new RecordReadings(List.of(new Reading(null, clock.instant(), 2.0)), r));
    assertEquals(2, result.events().size());
    AlertCleared cleared = (AlertCleared) result.events().get(1);
    assertEquals(AlertBound.SILENT, cleared.bound());
    assertEquals(1, cleared.alertNumber());
    assertNull(result.state().silentAlert());
    assertNull(kit.<SensorSummary>runCommand(GetSummary::new).reply().silentSince());

    clock.advance(Duration.ofSeconds(3));
    assertEquals(
        2,
        kit.runCommand(new CheckSilence()).eventOfType(SensorWentSilent.class).alertNumber(),
        "a new silence is a new alert");
  }

  @Test
  void theFleetDefaultAppliesToSensorsWithoutAnOwnInterval() {
    send(1.0);
    clock.advance(Duration.ofDays(1));
    assertTrue(kit.runCommand(new CheckSilence()).hasNoEvents(), "default off: never silent");

    kit = kitWith(Duration.ofHours(1));
    send(1.0);
    clock.advance(Duration.ofMinutes(61));
    assertEquals(
        Duration.ofHours(1),
        kit.runCommand(new CheckSilence()).eventOfType(SensorWentSilent.class).expectedInterval());
  }

  @Test
  void aFleetDefaultOutsideTheBoundsIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SensorEntitySettings(
                8,
                100,
                256,
                Duration.ofMillis(200),
                Duration.ofSeconds(1),
                true,
                Duration.ofMillis(10)));
  }
}
