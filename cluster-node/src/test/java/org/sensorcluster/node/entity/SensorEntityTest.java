package org.sensorcluster.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.testkit.SnapshotMeta;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.EventTags;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorState;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.node.entity.SensorCommand.GetSummary;
import org.sensorcluster.node.entity.SensorCommand.RecordReadings;
import org.sensorcluster.node.entity.SensorCommand.Recorded;

/**
 * The sensor entity against the in-memory journal and snapshot store of the persistence test kit,
 * with serialization checks on: every command, event and state goes through the serializers bound
 * in serialization.conf (Jackson CBOR for commands, Jackson JSON for events and snapshots).
 */
class SensorEntityTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static final SensorEntitySettings SETTINGS = settings(100, 256);

  private static ActorTestKit testKit;

  private static SensorEntitySettings settings(int snapshotEvery, int readingIdMemory) {
    return new SensorEntitySettings(
        8, snapshotEvery, readingIdMemory, Duration.ofMillis(200), Duration.ofSeconds(1));
  }

  static Config config() {
    // application.conf on the classpath says provider = cluster; these tests need no cluster.
    return ConfigFactory.parseString("pekko.actor.provider = local")
        .withFallback(EventSourcedBehaviorTestKit.config())
        .withFallback(ConfigFactory.load());
  }

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("SensorEntityTest", config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit<SensorCommand, SensorEvent, SensorState> kit;

  @BeforeEach
  void clearJournal() {
    kit = kitFor("sensor-1", SETTINGS);
    kit.clear(); // clears the whole in-memory journal and snapshot store, then restarts
  }

  private static EventSourcedBehaviorTestKit<SensorCommand, SensorEvent, SensorState> kitFor(
      String sensorId, SensorEntitySettings settings) {
    return EventSourcedBehaviorTestKit.create(
        testKit.system(),
        SensorEntity.create(sensorId, settings, CLOCK),
        // checks commands, events and state; with equality the round trip must give an equal object
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  private static Reading reading(String id, int minute, double value) {
    return new Reading(id, T0.plusSeconds(60L * minute), value);
  }

  private static EventSourcedBehaviorTestKit.CommandResultWithReply<
          SensorCommand, SensorEvent, SensorState, Recorded>
      record(
          EventSourcedBehaviorTestKit<SensorCommand, SensorEvent, SensorState> k,
          Reading... readings) {
    List<Reading> list = List.of(readings);
    return k.runCommand(replyTo -> new RecordReadings(list, replyTo));
  }

  private static SensorSummary summary(
      EventSourcedBehaviorTestKit<SensorCommand, SensorEvent, SensorState> k) {
    return k.<SensorSummary>runCommand(GetSummary::new).reply();
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void aNewSensorIsCreatedOnlyWhenTheSenderMayCreateOne() {
    var refused =
        kit.<Recorded>runCommand(
            replyTo ->
                new RecordReadings(List.of(reading("r1", 0, 1.0)), null, replyTo, null, false));
    assertTrue(refused.hasNoEvents());
    assertEquals(org.sensorcluster.domain.Refusal.NEW_SENSOR_QUOTA, refused.reply().refusal());
    var created = record(kit, reading("r1", 0, 1.0));
    assertTrue(created.reply().created(), "the first readings create the sensor");
    var known =
        kit.<Recorded>runCommand(
            replyTo ->
                new RecordReadings(List.of(reading("r2", 1, 2.0)), null, replyTo, null, false));
    assertEquals(
        1,
        known.reply().accepted(),
        "a known sensor takes readings whatever the quota of new ones");
    assertEquals(false, known.reply().created());
  }

  @Test
  void threeReadingsAreOneEvent() {
    Reading a = reading("r1", 0, 1.0);
    Reading b = reading("r2", 1, 2.0);
    Reading c = reading("r3", 2, 3.0);

    var result = record(kit, a, b, c);

    assertEquals(1, result.events().size(), "one journal write per command");
    ReadingsRecorded event = result.eventOfType(ReadingsRecorded.class);
    assertEquals(List.of(a, b, c), event.readings());
    assertEquals(NOW, event.recordedAt());
    assertEquals(new Recorded(3, 0, 1, null, List.of(), true), result.reply());
    assertEquals(3, result.state().readingCount());
    assertEquals(c, result.state().lastReading());
    assertEquals(NOW, result.state().lastRecordedAt());
    assertEquals(3, result.state().recentIds().size());
  }

  @Test
  void resendingSameIdsIsDuplicateWithoutEvent() {
    Reading a = reading("r1", 0, 1.0);
    Reading b = reading("r2", 1, 2.0);
    Reading c = reading("r3", 2, 3.0);
    record(kit, a, b, c);

    var again = record(kit, a, b, c);

    assertTrue(again.hasNoEvents());
    assertEquals(new Recorded(0, 3, 1), again.reply());
    assertEquals(3, again.state().readingCount());
  }

  @Test
  void aRememberedIdWithOtherContentIsAConflictNotADuplicate() {
    record(kit, reading("r1", 0, 1.0));

    // same id, different timestamp and value: another reading under a reused id, stored neither
    // time
    var again = record(kit, reading("r1", 5, 99.0));
    assertTrue(again.hasNoEvents());
    assertEquals(new Recorded(0, 0, 1, null, List.of(0)), again.reply());
    assertEquals(1.0, again.state().lastReading().value());

    // the same reading again is a duplicate; sent without timestamp (stamped with receivedAt) by
    // value only
    assertEquals(new Recorded(0, 1, 1), record(kit, reading("r1", 0, 1.0)).reply());
    Instant later = NOW.plusSeconds(30);
    assertEquals(
        new Recorded(0, 1, 1),
        kit.<Recorded>runCommand(
                r -> new RecordReadings(List.of(new Reading("r1", later, 1.0)), null, r, later))
            .reply());
    assertEquals(
        new Recorded(0, 0, 1, null, List.of(0)),
        kit.<Recorded>runCommand(
                r -> new RecordReadings(List.of(new Reading("r1", later, 2.0)), null, r, later))
            .reply());
  }

  @Test
  void mixedNewAndDuplicateStoresOnlyNew() {
    Reading a = reading("r1", 0, 1.0);
    Reading b = reading("r2", 1, 2.0);
    record(kit, a, b);

    Reading c = reading("r3", 2, 3.0);
    Reading d = reading("r4", 3, 4.0);
    var result = record(kit, a, c, b, d);

    assertEquals(1, result.events().size());
    assertEquals(
        List.of(c, d),
        result.eventOfType(ReadingsRecorded.class).readings(),
        "only the new readings, in the order sent");
    assertEquals(new Recorded(2, 2, 2), result.reply());
    assertEquals(4, result.state().readingCount());
  }

  @Test
  void duplicateIdsWithinOneCommandAreStoredOnce() {
    Reading first = reading("r1", 0, 1.0);
    Reading repeat = reading("r1", 1, 2.0);
    Reading other = reading("r2", 2, 3.0);

    var result = record(kit, first, repeat, other, first);

    assertEquals(
        List.of(first, other),
        result.eventOfType(ReadingsRecorded.class).readings(),
        "the first occurrence of an id wins");
    assertEquals(
        new Recorded(2, 1, 1, null, List.of(1), true),
        result.reply(),
        "repeat reuses r1 for another reading");
    assertEquals(2, result.state().readingCount());
  }

  @Test
  void allDuplicatesOfBatchInFirstCommandStillPersistsOnce() {
    Reading a = reading("r1", 0, 1.0);
    var result = record(kit, a, a, a);
    assertEquals(List.of(a), result.eventOfType(ReadingsRecorded.class).readings());
    assertEquals(new Recorded(1, 2, 1, null, List.of(), true), result.reply());
  }

  @Test
  void readingsWithoutIdAreAlwaysStored() {
    Reading x = reading(null, 0, 1.0);

    var first = record(kit, x, x);
    assertEquals(List.of(x, x), first.eventOfType(ReadingsRecorded.class).readings());
    assertEquals(new Recorded(2, 0, 1, null, List.of(), true), first.reply());

    var second = record(kit, x);
    assertEquals(new Recorded(1, 0, 2), second.reply());
    assertEquals(3, second.state().readingCount());
    assertEquals(0, second.state().recentIds().size(), "no id, nothing to remember");
  }

  @Test
  void emptyCommandRepliesWithoutEvent() {
    var result = kit.<Recorded>runCommand(replyTo -> new RecordReadings(List.of(), replyTo));
    assertTrue(result.hasNoEvents());
    assertEquals(new Recorded(0, 0, 0), result.reply());
    assertEquals(SensorState.EMPTY, result.state());
  }

  @Test
  void outOfOrderTimestampsKeepLatestAsLastReading() {
    Reading latest = reading("r2", 10, 2.0);
    record(kit, reading("r1", 5, 1.0), latest, reading("r3", 7, 3.0));
    assertEquals(latest, kit.getState().lastReading());

    // a late reading in a later command does not move lastReading back
    var late = record(kit, reading("r4", 1, 4.0));
    assertEquals(4, late.state().readingCount());
    assertEquals(latest, late.state().lastReading());

    // a newer one does
    Reading newer = reading("r5", 11, 5.0);
    assertEquals(newer, record(kit, newer).state().lastReading());
  }

  @Test
  void equalTimestampsLaterOneWins() {
    Reading first = reading("r1", 3, 1.0);
    Reading second = reading("r2", 3, 2.0);
    assertEquals(second, record(kit, first, second).state().lastReading());
  }

  @Test
  void restartKeepsStateAndDuplicateMemory() {
    Reading a = reading("r1", 0, 1.0);
    Reading b = reading("r2", 1, 2.0);
    record(kit, a, b);
    record(kit, reading(null, 2, 3.0));
    SensorState before = kit.getState();

    var restarted = kit.restart();

    assertEquals(before, restarted.state());
    var resend = record(kit, a, b);
    assertTrue(resend.hasNoEvents(), "ids survive recovery");
    assertEquals(new Recorded(0, 2, 2), resend.reply());
    assertEquals(3, resend.state().readingCount());
  }

  @Test
  void snapshotsEveryTwoEventsRecoverSameState() {
    var k = kitFor("sensor-snap", settings(2, 256));
    List<Reading> all = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      Reading r = reading("s" + i, i, i);
      all.add(r);
      var res = record(k, r, reading(null, i, -i));
      assertEquals(new Recorded(2, 0, i, null, List.of(), i == 1), res.reply());
    }
    SensorState before = k.getState();
    assertEquals(18, before.readingCount());

    SnapshotTestKit snapshots = k.snapshotTestKit().orElseThrow();
    List<Pair<SnapshotMeta, Object>> stored =
        snapshots.persistedInStorage(SensorEntity.persistenceId("sensor-snap").id());
    assertFalse(stored.isEmpty(), "snapshots were taken");
    Pair<SnapshotMeta, Object> newest = stored.get(stored.size() - 1);
    assertEquals(8, newest.first().sequenceNr(), "snapshot every 2 events -> newest at 8");
    assertInstanceOf(SensorState.class, newest.second());

    var restarted = k.restart();
    assertEquals(before, restarted.state());

    // the duplicate memory was recovered from the snapshot (s1..s8) plus event 9 (s9)
    var resend = k.<Recorded>runCommand(replyTo -> new RecordReadings(all, replyTo));
    assertTrue(resend.hasNoEvents());
    assertEquals(new Recorded(0, 9, 9), resend.reply());
    // ...with the contents: a reused id is still told from a resend (s3 is in the snapshot)
    assertEquals(
        new Recorded(0, 0, 9, null, List.of(0)), record(k, reading("s3", 3, 33.0)).reply());

    SensorSummary summary = summary(k);
    assertEquals(9, summary.sequenceNr());
    assertEquals(18, summary.readingCount());
  }

  @Test
  void recoversFromSnapshotAloneWhenEventsAreGone() {
    var k = kitFor("sensor-snap-only", settings(2, 256));
    record(k, reading("a", 1, 1.0));
    record(k, reading("b", 2, 2.0));
    SensorState atSnapshot = k.getState();
    String pid = SensorEntity.persistenceId("sensor-snap-only").id();
    assertEquals(1, k.snapshotTestKit().orElseThrow().persistedInStorage(pid).size());

    // keep the sequence numbers, drop the events: only the snapshot (JSON) can restore the state
    k.persistenceTestKit().clearByIdPreservingSeqNumbers(pid);
    assertEquals(atSnapshot, k.restart().state());
    assertEquals(new Recorded(0, 1, 2), record(k, reading("a", 1, 1.0)).reply());
  }

  @Test
  void eventIsTaggedWithTheSensorsTag() throws Exception {
    String sensorId = "sensor-tagged";
    String tag = EventTags.tagFor(sensorId, 8);
    int index = Integer.parseInt(tag.substring(EventTags.PREFIX.length()));
    assertTrue(index >= 0 && index < 8, tag);
    assertEquals(EventTags.tag(Math.floorMod(sensorId.hashCode(), 8)), tag);

    var k = kitFor(sensorId, SETTINGS);
    Reading a = reading("t1", 0, 1.0);
    record(k, a);

    PersistenceTestKitReadJournal journal =
        PersistenceQuery.get(testKit.system())
            .getReadJournalFor(
                PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier());
    List<EventEnvelope> tagged =
        journal
            .currentEventsByTag(tag, Offset.noOffset())
            .runWith(Sink.seq(), testKit.system())
            .toCompletableFuture()
            .get(3, TimeUnit.SECONDS);
    assertEquals(1, tagged.size());
    assertEquals(SensorEntity.persistenceId(sensorId).id(), tagged.get(0).persistenceId());
    assertEquals(new ReadingsRecorded(List.of(a), NOW), tagged.get(0).event());

    String otherTag = EventTags.tag((index + 1) % 8);
    List<EventEnvelope> notTagged =
        journal
            .currentEventsByTag(otherTag, Offset.noOffset())
            .runWith(Sink.seq(), testKit.system())
            .toCompletableFuture()
            .get(3, TimeUnit.SECONDS);
    assertTrue(
        notTagged.stream()
            .noneMatch(e -> e.persistenceId().equals(SensorEntity.persistenceId(sensorId).id())));
  }

  @Test
  void tagFunctionStaysInRangeAlsoForNegativeHashCodes() {
    for (String id :
        List.of("sensor-1", "a", "polygenelubricants", "Aa", "zzzzzzzzzzzz", "x:y.z_-1")) {
      for (int count : new int[] {1, 2, 8, 13}) {
        String tag = EventTags.tagFor(id, count);
        int index = Integer.parseInt(tag.substring(EventTags.PREFIX.length()));
        assertTrue(index >= 0 && index < count, id + " -> " + tag);
      }
    }
    assertTrue("polygenelubricants".hashCode() < 0, "test precondition: a negative hash code");
    assertEquals("sensor-0", EventTags.tagFor("anything", 1));
  }

  @Test
  void getSummaryReportsEntityView() {
    SensorSummary empty = summary(kit);
    assertEquals(new SensorSummary("sensor-1", 0, null, null, 0), empty);

    Reading latest = reading("r2", 9, 2.5);
    record(kit, reading("r1", 3, 1.5), latest);
    record(kit, reading(null, 4, 0.5));

    var result = kit.<SensorSummary>runCommand(GetSummary::new);
    assertTrue(result.hasNoEvents());
    assertEquals(new SensorSummary("sensor-1", 3, latest, NOW, 2), result.reply());
  }

  @Test
  void readingIdMemoryIsBounded() {
    var k = kitFor("sensor-small-memory", settings(100, 4));
    for (int i = 1; i <= 6; i++) {
      assertEquals(
          new Recorded(1, 0, i, null, List.of(), i == 1),
          record(k, reading("r" + i, i, i)).reply());
    }
    assertEquals(4, k.getState().recentIds().size());

    var forgotten = record(k, reading("r1", 1, 1.0));
    assertEquals(new Recorded(1, 0, 7), forgotten.reply(), "r1 fell out of the window of 4 ids");

    var remembered = record(k, reading("r6", 6, 6.0));
    assertTrue(remembered.hasNoEvents());
    assertEquals(new Recorded(0, 1, 7), remembered.reply());
    assertEquals(7, remembered.state().readingCount());
  }

  @Test
  void readingIdMemoryIsBoundedWithinOneBatch() {
    var k = kitFor("sensor-small-memory-batch", settings(100, 4));
    List<Reading> six = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      six.add(reading("r" + i, i, i));
    }
    assertEquals(
        new Recorded(6, 0, 1, null, List.of(), true),
        k.<Recorded>runCommand(r -> new RecordReadings(six, r)).reply());
    assertEquals(4, k.getState().recentIds().size());

    // r1, r2 forgotten; r3..r6 remembered
    var resend = k.<Recorded>runCommand(r -> new RecordReadings(six, r));
    assertEquals(new Recorded(2, 4, 2), resend.reply());
    assertEquals(
        List.of(six.get(0), six.get(1)), resend.eventOfType(ReadingsRecorded.class).readings());
  }

  // --- journal failures: these need the actor itself, so spawn it directly -----------------------

  @Test
  void failedJournalWriteSendsNoReplyAndChangesNothing() {
    String sensorId = "sensor-journal-failure";
    String pid = SensorEntity.persistenceId(sensorId).id();
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    ActorRef<SensorCommand> entity = testKit.spawn(SensorEntity.create(sensorId, SETTINGS, CLOCK));
    TestProbe<Recorded> probe = testKit.createTestProbe();

    Reading a = reading("f1", 0, 1.0);
    entity.tell(new RecordReadings(List.of(a), probe.getRef()));
    assertEquals(new Recorded(1, 0, 1, null, List.of(), true), probe.receiveMessage());

    journal.failNextPersisted(pid);
    Reading b = reading("f2", 1, 2.0);
    entity.tell(new RecordReadings(List.of(b), probe.getRef()));
    probe.expectNoMessage(Duration.ofMillis(500)); // an asker would time out

    // restarted with backoff and recovered from the journal: f2 was never stored
    TestProbe<SensorSummary> summaries = testKit.createTestProbe();
    entity.tell(new GetSummary(summaries.getRef()));
    SensorSummary s = summaries.receiveMessage(Duration.ofSeconds(3));
    assertEquals(new SensorSummary(sensorId, 1, a, NOW, 1), s);
    assertEquals(1, journal.persistedInStorage(pid).size());

    // the client's retry is accepted, not a duplicate
    entity.tell(new RecordReadings(List.of(b), probe.getRef()));
    assertEquals(new Recorded(1, 0, 2), probe.receiveMessage(Duration.ofSeconds(3)));
    testKit.stop(entity);
  }

  @Test
  void rejectedJournalWriteSendsNoReplyAndChangesNothing() {
    String sensorId = "sensor-journal-reject";
    String pid = SensorEntity.persistenceId(sensorId).id();
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    ActorRef<SensorCommand> entity = testKit.spawn(SensorEntity.create(sensorId, SETTINGS, CLOCK));
    TestProbe<Recorded> probe = testKit.createTestProbe();

    Reading a = reading("j1", 0, 1.0);
    entity.tell(new RecordReadings(List.of(a), probe.getRef()));
    assertEquals(new Recorded(1, 0, 1, null, List.of(), true), probe.receiveMessage());

    journal.rejectNextPersisted(pid);
    entity.tell(new RecordReadings(List.of(reading("j2", 1, 2.0)), probe.getRef()));
    probe.expectNoMessage(Duration.ofMillis(500));

    // a rejection is not a journal failure: the entity stops (sharding would start it again)
    probe.expectTerminated(entity, Duration.ofSeconds(3));
    assertEquals(1, journal.persistedInStorage(pid).size());

    ActorRef<SensorCommand> again = testKit.spawn(SensorEntity.create(sensorId, SETTINGS, CLOCK));
    TestProbe<SensorSummary> summaries = testKit.createTestProbe();
    again.tell(new GetSummary(summaries.getRef()));
    assertEquals(
        new SensorSummary(sensorId, 1, a, NOW, 1), summaries.receiveMessage(Duration.ofSeconds(3)));
    testKit.stop(again);
  }

  @Test
  void failedJournalWriteViaBehaviorTestKitHasNoReply() {
    var k = kitFor("sensor-kit-failure", SETTINGS);
    Reading a = reading("k1", 0, 1.0);
    record(k, a);
    SensorState before = k.getState();

    k.persistenceTestKit().failNextPersisted();
    // The kit's runCommand with a reply function insists on a reply; none comes for a failed write.
    AssertionError noReply =
        assertThrows(
            AssertionError.class,
            () ->
                k.<Recorded>runCommand(
                    replyTo -> new RecordReadings(List.of(reading("k2", 1, 2.0)), replyTo)));
    assertTrue(noReply.getMessage().contains("Missing expected reply"), noReply.getMessage());
    assertEquals(
        1,
        k.persistenceTestKit()
            .persistedInStorage(SensorEntity.persistenceId("sensor-kit-failure").id())
            .size());

    assertEquals(before, k.restart().state());
  }
}
