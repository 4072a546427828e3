package org.sensorcluster.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.event.ReadingsRecorded;

class SensorStateTest {

  private static final int CAPACITY = 256;
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static Reading reading(String id, int secondsAfterT0) {
    return new Reading(id, T0.plusSeconds(secondsAfterT0), secondsAfterT0);
  }

  private static Reading reading(String id) {
    return reading(id, 0);
  }

  private static SensorState record(SensorState state, Instant recordedAt, Reading... readings) {
    return state.apply(new ReadingsRecorded(List.of(readings), recordedAt), CAPACITY);
  }

  // --- decide

  @Test
  void emptyStateTreatsEverythingAsNew() {
    List<Reading> in = List.of(reading("a"), reading("b"), reading(null));
    SensorState.Decision d = SensorState.EMPTY.decide(in);
    assertEquals(in, d.toStore());
    assertEquals(0, d.duplicates());
  }

  @Test
  void decideOnEmptyBatch() {
    assertEquals(new SensorState.Decision(List.of(), 0), SensorState.EMPTY.decide(List.of()));
  }

  @Test
  void decideSkipsIdsAlreadyApplied() {
    SensorState state = record(SensorState.EMPTY, T0, reading("a"), reading("b"));
    Reading c = reading("c");
    SensorState.Decision d = state.decide(List.of(reading("a"), c, reading("b")));
    assertEquals(List.of(c), d.toStore());
    assertEquals(2, d.duplicates());
    assertEquals(List.of(), d.conflicts());
  }

  @Test
  void aRememberedIdWithAnotherValueOrTimestampIsAConflict() {
    SensorState state = record(SensorState.EMPTY, T0, reading("a"), reading("b"));
    Reading otherValue = new Reading("a", T0, 99);
    Reading otherTime = new Reading("b", T0.plusSeconds(1), 0);
    Reading c = reading("c");
    SensorState.Decision d = state.decide(List.of(otherValue, c, otherTime, reading("a")));
    assertEquals(List.of(c), d.toStore());
    assertEquals(1, d.duplicates());
    assertEquals(List.of(0, 2), d.conflicts());
    // also within one batch, and 0.0 equals -0.0
    d =
        SensorState.EMPTY.decide(
            List.of(
                new Reading("z", T0, 0.0), new Reading("z", T0, -0.0), new Reading("z", T0, 1)));
    assertEquals(1, d.toStore().size());
    assertEquals(1, d.duplicates());
    assertEquals(List.of(2), d.conflicts());
  }

  @Test
  void aReadingStampedWithTheReceiveTimeIsComparedByValueOnly() {
    // the client sent no timestamp, first at T0 and again (resend) at T0 + 30 s
    SensorState state = record(SensorState.EMPTY, T0, new Reading("a", T0, 1));
    Instant resentAt = T0.plusSeconds(30);
    SensorState.Decision d = state.decide(List.of(new Reading("a", resentAt, 1)), resentAt);
    assertEquals(1, d.duplicates());
    d = state.decide(List.of(new Reading("a", resentAt, 2)), resentAt);
    assertEquals(List.of(0), d.conflicts());
    // with a timestamp of its own it must match exactly
    d = state.decide(List.of(new Reading("a", T0.plusSeconds(1), 1)), resentAt);
    assertEquals(List.of(0), d.conflicts());
  }

  @Test
  void idsRememberedWithoutContentStayDuplicatesAndContentsSurviveTheWindow() {
    long[] fp = new long[2];
    ReadingIdHash.hash("old", fp, 0);
    SensorState fromOldSnapshot =
        new SensorState(1, null, null, new RecentReadingIds(fp), null, null, 0, null);
    assertEquals(1, fromOldSnapshot.decide(List.of(reading("old", 7))).duplicates());
    SensorState later = record(fromOldSnapshot, T0, reading("new", 3));
    assertEquals(1, later.decide(List.of(reading("old", 9))).duplicates(), "content still unknown");
    assertEquals(List.of(0), later.decide(List.of(reading("new", 4))).conflicts());
    SensorState small = later.apply(new ReadingsRecorded(List.of(reading("n2", 5)), T0), 2);
    assertEquals(2, small.recentIds().size());
    assertEquals(List.of(0), small.decide(List.of(reading("new", 4))).conflicts());
    assertEquals(1, small.decide(List.of(reading("n2", 5))).duplicates());
  }

  @Test
  void decideSkipsRepeatedIdsWithinBatchKeepingFirst() {
    Reading first = reading("x", 1);
    Reading other = reading("y", 2);
    SensorState.Decision d =
        SensorState.EMPTY.decide(List.of(first, other, reading("x", 1), reading("x", 1)));
    assertEquals(List.of(first, other), d.toStore());
    assertEquals(2, d.duplicates());
  }

  @Test
  void readingsWithoutIdAreAlwaysStored() {
    Reading n1 = reading(null, 1);
    Reading n2 = reading(null, 1);
    SensorState state = record(SensorState.EMPTY, T0, n1);
    SensorState.Decision d = state.decide(List.of(n1, n2, n1));
    assertEquals(List.of(n1, n2, n1), d.toStore());
    assertEquals(0, d.duplicates());
  }

  @Test
  void decideDoesNotChangeState() {
    SensorState state = record(SensorState.EMPTY, T0, reading("a"));
    SensorState copy =
        new SensorState(
            state.readingCount(),
            state.lastReading(),
            state.lastRecordedAt(),
            new RecentReadingIds(
                state.recentIds().fingerprints().clone(), state.recentIds().contents().clone()),
            null,
            null,
            0,
            null);
    state.decide(List.of(reading("b"), reading("c")));
    assertEquals(copy, state);
    assertEquals(1, state.decide(List.of(reading("b"))).toStore().size()); // "b" was not remembered
  }

  // --- apply

  @Test
  void emptyStateHasNothing() {
    assertEquals(0, SensorState.EMPTY.readingCount());
    assertNull(SensorState.EMPTY.lastReading());
    assertNull(SensorState.EMPTY.lastRecordedAt());
    assertEquals(0, SensorState.EMPTY.recentIds().size());
  }

  @Test
  void nullRecentIdsBecomesEmpty() {
    assertSame(
        RecentReadingIds.EMPTY,
        new SensorState(0, null, null, null, null, null, 0, null).recentIds());
  }

  @Test
  void applyCountsReadingsAndSetsRecordedAt() {
    Instant at1 = T0.plusSeconds(100);
    Instant at2 = T0.plusSeconds(200);
    SensorState s1 = record(SensorState.EMPTY, at1, reading("a"), reading(null), reading("b"));
    assertEquals(3, s1.readingCount());
    assertEquals(at1, s1.lastRecordedAt());
    assertEquals(
        2, s1.recentIds().size()); // ids only; the reading without id is counted but not remembered
    SensorState s2 = record(s1, at2, reading("c"));
    assertEquals(4, s2.readingCount());
    assertEquals(at2, s2.lastRecordedAt());
  }

  @Test
  void lastReadingIsLatestByTimestampWithinBatch() {
    Reading latest = reading("b", 30);
    SensorState s = record(SensorState.EMPTY, T0, reading("a", 10), latest, reading("c", 20));
    assertEquals(latest, s.lastReading());
  }

  @Test
  void olderReadingNeverMovesLastReadingBack() {
    Reading latest = reading("new", 60);
    SensorState s = record(SensorState.EMPTY, T0, latest);
    s = record(s, T0.plusSeconds(120), reading("late", 10));
    assertEquals(latest, s.lastReading());
    assertEquals(2, s.readingCount());
    assertEquals(T0.plusSeconds(120), s.lastRecordedAt());
  }

  @Test
  void equalTimestampLaterReadingWins() {
    Reading first = new Reading("a", T0, 1.0);
    Reading second = new Reading("b", T0, 2.0);
    assertEquals(second, record(SensorState.EMPTY, T0, first, second).lastReading());
    Reading third = new Reading("c", T0, 3.0);
    assertEquals(third, record(record(SensorState.EMPTY, T0, first), T0, third).lastReading());
  }

  @Test
  void appliedIdsBecomeDuplicates() {
    SensorState s = record(SensorState.EMPTY, T0, reading("a"));
    s = record(s, T0, reading("b"));
    SensorState.Decision d = s.decide(List.of(reading("a"), reading("b"), reading("c")));
    assertEquals(List.of("c"), d.toStore().stream().map(Reading::readingId).toList());
    assertEquals(2, d.duplicates());
  }

  @Test
  void memoryBoundedByCapacityAcrossEvents() {
    SensorState s = SensorState.EMPTY;
    for (int i = 0; i < 300; i++) {
      s = record(s, T0, reading("r-" + i, i));
    }
    assertForgotFirst44(s);
  }

  @Test
  void memoryBoundedByCapacityWithinOneEvent() {
    List<Reading> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      all.add(reading("r-" + i, i));
    }
    SensorState s = SensorState.EMPTY.apply(new ReadingsRecorded(all, T0), CAPACITY);
    assertForgotFirst44(s);
  }

  private static void assertForgotFirst44(SensorState s) {
    assertEquals(300, s.readingCount());
    assertEquals(CAPACITY, s.recentIds().size());
    assertEquals(reading("r-299", 299), s.lastReading());
    List<Reading> forgotten = new ArrayList<>();
    List<Reading> remembered = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      (i < 44 ? forgotten : remembered).add(reading("r-" + i, i));
    }
    SensorState.Decision old = s.decide(forgotten);
    assertEquals(forgotten, old.toStore());
    assertEquals(0, old.duplicates());
    SensorState.Decision recent = s.decide(remembered);
    assertEquals(List.of(), recent.toStore());
    assertEquals(256, recent.duplicates());
  }

  @Test
  void applyLeavesOriginalStateUnchanged() {
    SensorState before = record(SensorState.EMPTY, T0, reading("a", 5));
    long[] idsBefore = before.recentIds().fingerprints().clone();
    long[] contentsBefore = before.recentIds().contents().clone();
    Reading lastBefore = before.lastReading();

    SensorState after = record(before, T0.plusSeconds(60), reading("b", 10), reading(null, 11));

    assertNotSame(before, after);
    assertEquals(1, before.readingCount());
    assertSame(lastBefore, before.lastReading());
    assertEquals(T0, before.lastRecordedAt());
    assertEquals(new RecentReadingIds(idsBefore, contentsBefore), before.recentIds());
    assertEquals(1, before.decide(List.of(reading("b"))).toStore().size());
    assertEquals(3, after.readingCount());
  }

  @Test
  void emptyStateUnchangedAfterApply() {
    record(SensorState.EMPTY, T0, reading("a"));
    assertEquals(
        new SensorState(0, null, null, RecentReadingIds.EMPTY, null, null, 0, null),
        SensorState.EMPTY);
    assertEquals(0, RecentReadingIds.EMPTY.size());
  }

  @Test
  void stateEqualityByContent() {
    SensorState a = record(SensorState.EMPTY, T0, reading("a"), reading("b"));
    SensorState b = record(SensorState.EMPTY, T0, reading("a"), reading("b"));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
  }
}
