package org.sensorcluster.projections.latest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.AlertRaised;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorDecommissioned;
import org.sensorcluster.domain.event.SensorMetadataUpdated;

class LatestRowTest {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final Thresholds LIMITS = new Thresholds(0.0, 10.0, 1.0);

  @Test
  void lateReadingIsCountedButDoesNotMoveLastReadingBack() {
    LatestRow row =
        LatestRow.empty("s")
            .apply(
                new ReadingsRecorded(
                    List.of(new Reading("a", T0.plusSeconds(60), 1)), T0.plusSeconds(61)),
                1)
            .apply(new ReadingsRecorded(List.of(new Reading("b", T0, 2)), T0.plusSeconds(62)), 2);
    assertEquals(2, row.readingCount());
    assertEquals("a", row.lastReading().readingId());
    assertEquals(T0.plusSeconds(62), row.lastRecordedAt());
    assertEquals(2, row.seqNr());
  }

  @Test
  void eventsAtOrBelowTheAppliedSequenceNumberAreIgnored() {
    LatestRow row =
        LatestRow.empty("s").apply(new ReadingsRecorded(List.of(new Reading("a", T0, 1)), T0), 1);
    assertSame(row, row.apply(new ReadingsRecorded(List.of(new Reading("a", T0, 1)), T0), 1));
    assertSame(row, row.apply(new SensorDecommissioned(T0), 0));
  }

  @Test
  void metadataAlertsAndDecommissionFoldIn() {
    SensorMetadata meta =
        new SensorMetadata("n", "temperature", "Cel", null, Map.of("site", "b"), LIMITS);
    Reading high = new Reading("h", T0.plusSeconds(1), 12);
    LatestRow row =
        LatestRow.empty("s")
            .apply(new SensorMetadataUpdated(meta, T0), 1)
            .apply(new ReadingsRecorded(List.of(high), T0.plusSeconds(2)), 2)
            .apply(new AlertRaised(1, AlertBound.ABOVE_MAX, high, LIMITS, T0.plusSeconds(2)), 3);
    assertEquals(meta, row.metadata());
    assertNotNull(row.openAlert());
    assertEquals(1, row.openAlert().alertNumber());
    LatestRow cleared =
        row.apply(new AlertCleared(1, AlertBound.ABOVE_MAX, high, LIMITS, T0.plusSeconds(3)), 4);
    assertNull(cleared.openAlert());
    assertEquals(T0.plusSeconds(3), cleared.updatedAt());
    // a clear of another alert number leaves the open one alone
    assertNotNull(
        row.apply(new AlertCleared(7, AlertBound.ABOVE_MAX, high, LIMITS, T0), 4).openAlert());
    LatestRow gone = cleared.apply(new SensorDecommissioned(T0.plusSeconds(9)), 5);
    assertEquals(T0.plusSeconds(9), gone.decommissionedAt());
    assertEquals(1, gone.readingCount());
  }
}
