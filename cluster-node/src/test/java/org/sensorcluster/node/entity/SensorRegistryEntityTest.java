package org.sensorcluster.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.Refusal;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorState;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.AlertRaised;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorDecommissioned;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorMetadataUpdated;
import org.sensorcluster.node.entity.SensorCommand.Changed;
import org.sensorcluster.node.entity.SensorCommand.Decommission;
import org.sensorcluster.node.entity.SensorCommand.GetSummary;
import org.sensorcluster.node.entity.SensorCommand.RecordReadings;
import org.sensorcluster.node.entity.SensorCommand.Recorded;
import org.sensorcluster.node.entity.SensorCommand.UpdateMetadata;

/** Registration, decommissioning and alerts through the entity, with serialization checks on. */
class SensorRegistryEntityTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Thresholds LIMITS = new Thresholds(0.0, 10.0, 1.0);
  private static final SensorMetadata META =
      new SensorMetadata("Boiler", "temperature", "Cel", null, Map.of("site", "b1"), LIMITS);

  private static ActorTestKit testKit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("SensorRegistryEntityTest", SensorEntityTest.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private static EventSourcedBehaviorTestKit<SensorCommand, SensorEvent, SensorState> kit(
      String id, boolean autoRegister) {
    SensorEntitySettings settings =
        new SensorEntitySettings(
            8, 3, 256, Duration.ofMillis(200), Duration.ofSeconds(1), autoRegister);
    EventSourcedBehaviorTestKit<SensorCommand, SensorEvent, SensorState> k =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            SensorEntity.create(id, settings, CLOCK),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
    k.clear();
    return k;
  }

  private static Reading at(int second, double value) {
    return new Reading("r" + second, T0.plusSeconds(second), value);
  }

  private static EventSourcedBehaviorTestKit.CommandResultWithReply<
          SensorCommand, SensorEvent, SensorState, Recorded>
      record(
          EventSourcedBehaviorTestKit<SensorCommand, SensorEvent, SensorState> k,
          Reading... readings) {
    List<Reading> list = List.of(readings);
    return k.runCommand(replyTo -> new RecordReadings(list, replyTo));
  }

  @Test
  void registerThenAlertsAreJournaledWithTheReadingsInOneWrite() {
    var k = kit("reg-1", true);
    var put = k.<Changed>runCommand(r -> new UpdateMetadata(META, r));
    assertEquals(new Changed(true, true, 1, null), put.reply());
    assertInstanceOf(SensorMetadataUpdated.class, put.event());

    var hot = record(k, at(1, 5), at(2, 12));
    assertEquals(2, hot.events().size());
    assertInstanceOf(ReadingsRecorded.class, hot.events().get(0));
    AlertRaised raised = (AlertRaised) hot.events().get(1);
    assertEquals(AlertBound.ABOVE_MAX, raised.bound());
    assertEquals(12, raised.reading().value());
    assertEquals(new Recorded(2, 0, 3), hot.reply(), "sequence number after both events");

    var cool = record(k, at(3, 8.5));
    assertEquals(1, ((AlertCleared) cool.events().get(1)).alertNumber());
    assertNull(cool.state().openAlert());

    var again = k.<Changed>runCommand(r -> new UpdateMetadata(META, r));
    assertEquals(false, again.reply().created());
  }

  @Test
  void alertStateSurvivesRestartsAndSnapshots() {
    var k = kit("reg-2", true);
    k.<Changed>runCommand(r -> new UpdateMetadata(META, r));
    for (int i = 0; i < 7; i++) {
      record(k, at(i, i % 2 == 0 ? 11 : 10.5)); // snapshot-every = 3
    }
    SensorSummary before = k.<SensorSummary>runCommand(GetSummary::new).reply();
    assertNotNull(before.openAlert());
    k.restart();
    SensorSummary after = k.<SensorSummary>runCommand(GetSummary::new).reply();
    assertEquals(before, after);
    assertEquals(META, after.metadata());
    assertEquals(1, after.openAlert().alertNumber(), "one alert, no storm");
  }

  @Test
  void decommissionedSensorRefusesReadingsAndMetadataKeepsHistory() {
    var k = kit("reg-3", true);
    record(k, at(1, 1));
    var d = k.<Changed>runCommand(Decommission::new);
    assertEquals(new Changed(false, true, 2, null), d.reply());
    assertInstanceOf(SensorDecommissioned.class, d.event());

    var refused = record(k, at(2, 2));
    assertTrue(refused.hasNoEvents());
    assertEquals(Refusal.DECOMMISSIONED, refused.reply().refusal());
    var put = k.<Changed>runCommand(r -> new UpdateMetadata(META, r));
    assertTrue(put.hasNoEvents());
    assertEquals(Refusal.DECOMMISSIONED, put.reply().refusal());
    var twice = k.<Changed>runCommand(Decommission::new);
    assertTrue(twice.hasNoEvents());
    assertEquals(new Changed(false, false, 2, null), twice.reply());

    k.restart();
    SensorSummary s = k.<SensorSummary>runCommand(GetSummary::new).reply();
    assertEquals(1, s.readingCount());
    assertEquals(NOW, s.decommissionedAt());
  }

  @Test
  void unknownSensorCannotBeDecommissioned() {
    var k = kit("reg-4", true);
    var d = k.<Changed>runCommand(Decommission::new);
    assertTrue(d.hasNoEvents());
    assertEquals(Refusal.NOT_REGISTERED, d.reply().refusal());
  }

  @Test
  void withoutAutoRegistrationReadingsWaitForRegistration() {
    var k = kit("reg-5", false);
    var refused = record(k, at(1, 1));
    assertTrue(refused.hasNoEvents());
    assertEquals(Refusal.NOT_REGISTERED, refused.reply().refusal());
    k.<Changed>runCommand(r -> new UpdateMetadata(SensorMetadata.NONE, r));
    assertEquals(new Recorded(1, 0, 2), record(k, at(1, 1)).reply());
  }
}
