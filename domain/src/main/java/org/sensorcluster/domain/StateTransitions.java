package org.sensorcluster.domain;

import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.AlertRaised;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorDecommissioned;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorMetadataUpdated;
import org.sensorcluster.domain.event.SensorWentSilent;

/** How each event changes a {@link SensorState}: the rule behind {@link SensorState#apply}. */
final class StateTransitions {

  private StateTransitions() {}

  /** The state after {@code event}; {@code idCapacity} is how many reading ids to remember. */
  static SensorState apply(SensorState s, SensorEvent event, int idCapacity) {
    if (event instanceof ReadingsRecorded recorded) {
      return applyRecorded(s, recorded, idCapacity);
    }
    if (event instanceof SensorMetadataUpdated updated) {
      return new SensorState(
          s.readingCount(),
          s.lastReading(),
          s.lastRecordedAt(),
          s.recentIds(),
          updated.metadata(),
          s.openAlert(),
          s.alertsRaised(),
          s.decommissionedAt(),
          s.silentAlert());
    }
    if (event instanceof SensorDecommissioned d) {
      return new SensorState(
          s.readingCount(),
          s.lastReading(),
          s.lastRecordedAt(),
          s.recentIds(),
          s.metadata(),
          s.openAlert(),
          s.alertsRaised(),
          d.decommissionedAt(),
          s.silentAlert());
    }
    if (event instanceof AlertRaised a) {
      return new SensorState(
          s.readingCount(),
          s.lastReading(),
          s.lastRecordedAt(),
          s.recentIds(),
          s.metadata(),
          new OpenAlert(a.alertNumber(), a.bound(), a.reading(), a.thresholds(), a.raisedAt()),
          Math.max(s.alertsRaised(), a.alertNumber()),
          s.decommissionedAt(),
          s.silentAlert());
    }
    if (event instanceof AlertCleared c) {
      boolean silenceEnds = c.bound() == AlertBound.SILENT;
      return new SensorState(
          s.readingCount(),
          s.lastReading(),
          s.lastRecordedAt(),
          s.recentIds(),
          s.metadata(),
          silenceEnds ? s.openAlert() : null,
          s.alertsRaised(),
          s.decommissionedAt(),
          silenceEnds ? null : s.silentAlert());
    }
    if (event instanceof SensorWentSilent w) {
      return new SensorState(
          s.readingCount(),
          s.lastReading(),
          s.lastRecordedAt(),
          s.recentIds(),
          s.metadata(),
          s.openAlert(),
          Math.max(s.alertsRaised(), w.alertNumber()),
          s.decommissionedAt(),
          new OpenAlert(w.alertNumber(), AlertBound.SILENT, w.lastReading(), null, w.decidedAt()));
    }
    throw new IllegalArgumentException("unknown event " + event.getClass().getName());
  }

  private static SensorState applyRecorded(SensorState s, ReadingsRecorded event, int idCapacity) {
    Reading latest = s.lastReading();
    long[] added = new long[2 * event.readings().size()];
    long[] contents = new long[event.readings().size()];
    int ids = 0;
    for (Reading r : event.readings()) {
      if (latest == null || !r.timestamp().isBefore(latest.timestamp())) {
        latest = r;
      }
      if (r.readingId() != null) {
        ReadingIdHash.hash(r.readingId(), added, 2 * ids);
        contents[ids] = ReadingIdHash.content(r);
        ids++;
      }
    }
    return new SensorState(
        s.readingCount() + event.readings().size(),
        latest,
        event.recordedAt(),
        s.recentIds().plus(added, contents, ids, idCapacity),
        s.metadata(),
        s.openAlert(),
        s.alertsRaised(),
        s.decommissionedAt(),
        null); // a reading ends a silence
  }
}
