package org.sensorcluster.projections.latest;

import java.time.Instant;
import org.sensorcluster.domain.OpenAlert;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.AlertRaised;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorDecommissioned;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorMetadataUpdated;
import org.sensorcluster.domain.event.SensorWentSilent;

/**
 * One row of {@code sensor_latest} and the rule that folds an event into it. Every field comes from
 * events (event times, never the wall clock), and an event at or below {@code seqNr} is ignored, so
 * the row is the same however often and in whatever grouping the journal is replayed.
 *
 * @param metadata null while never registered
 * @param updatedAt server time of the latest event applied
 * @param silentSince decision time of the {@link SensorWentSilent} not yet followed by a reading,
 *     else null
 */
public record LatestRow(
    String sensorId,
    long readingCount,
    Reading lastReading,
    Instant lastRecordedAt,
    long seqNr,
    SensorMetadata metadata,
    OpenAlert openAlert,
    Instant decommissionedAt,
    Instant updatedAt,
    Instant silentSince) {

  /** A row of a sensor that is not silent. */
  public LatestRow(
      String sensorId,
      long readingCount,
      Reading lastReading,
      Instant lastRecordedAt,
      long seqNr,
      SensorMetadata metadata,
      OpenAlert openAlert,
      Instant decommissionedAt,
      Instant updatedAt) {
    this(
        sensorId,
        readingCount,
        lastReading,
        lastRecordedAt,
        seqNr,
        metadata,
        openAlert,
        decommissionedAt,
        updatedAt,
        null);
  }

  public static LatestRow empty(String sensorId) {
    return new LatestRow(sensorId, 0, null, null, 0, null, null, null, null);
  }

  /** This row with other labels (queries load them separately). */
  LatestRow withLabels(java.util.Map<String, String> labels) {
    return new LatestRow(
        sensorId,
        readingCount,
        lastReading,
        lastRecordedAt,
        seqNr,
        metadata == null ? null : metadata.withLabels(labels),
        openAlert,
        decommissionedAt,
        updatedAt,
        silentSince);
  }

  /** This row with {@code event} (sequence number {@code eventSeqNr}) applied. */
  public LatestRow apply(SensorEvent event, long eventSeqNr) {
    if (eventSeqNr <= seqNr) {
      return this; // already applied
    }
    if (event instanceof ReadingsRecorded r) {
      Reading latest = lastReading;
      for (Reading reading : r.readings()) {
        if (latest == null || !reading.timestamp().isBefore(latest.timestamp())) {
          latest = reading;
        }
      }
      return new LatestRow(
          sensorId,
          readingCount + r.readings().size(),
          latest,
          r.recordedAt(),
          eventSeqNr,
          metadata,
          openAlert,
          decommissionedAt,
          r.recordedAt(),
          null); // a reading ends a silence
    }
    if (event instanceof SensorMetadataUpdated m) {
      return new LatestRow(
          sensorId,
          readingCount,
          lastReading,
          lastRecordedAt,
          eventSeqNr,
          m.metadata(),
          openAlert,
          decommissionedAt,
          m.updatedAt(),
          silentSince);
    }
    if (event instanceof SensorDecommissioned d) {
      return new LatestRow(
          sensorId,
          readingCount,
          lastReading,
          lastRecordedAt,
          eventSeqNr,
          metadata,
          openAlert,
          d.decommissionedAt(),
          d.decommissionedAt(),
          silentSince);
    }
    if (event instanceof AlertRaised a) {
      return new LatestRow(
          sensorId,
          readingCount,
          lastReading,
          lastRecordedAt,
          eventSeqNr,
          metadata,
          new OpenAlert(a.alertNumber(), a.bound(), a.reading(), a.thresholds(), a.raisedAt()),
          decommissionedAt,
          a.raisedAt(),
          silentSince);
    }
    if (event instanceof AlertCleared c) {
      return new LatestRow(
          sensorId,
          readingCount,
          lastReading,
          lastRecordedAt,
          eventSeqNr,
          metadata,
          openAlert != null && openAlert.alertNumber() == c.alertNumber() ? null : openAlert,
          decommissionedAt,
          c.clearedAt(),
          silentSince);
    }
    if (event instanceof SensorWentSilent w) {
      return new LatestRow(
          sensorId,
          readingCount,
          lastReading,
          lastRecordedAt,
          eventSeqNr,
          metadata,
          openAlert,
          decommissionedAt,
          w.decidedAt(),
          w.decidedAt());
    }
    throw new IllegalArgumentException("unknown event " + event.getClass().getName());
  }

  public SensorSummary toSummary() {
    return new SensorSummary(
        sensorId,
        readingCount,
        lastReading,
        lastRecordedAt,
        seqNr,
        metadata,
        openAlert,
        decommissionedAt,
        silentSince);
  }
}
