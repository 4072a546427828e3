package org.sensorcluster.projections.latest;

import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.event.ReadingsRecorded;

/**
 * What a run of consecutive {@link ReadingsRecorded} events of one sensor does to its {@code
 * sensor_latest} row, known without reading the row: readings to add, the latest reading of the run
 * (by {@link LatestRow}'s rule: a reading at or after the current latest replaces it), and the
 * sequence numbers and time of the run. {@link ReadingsMerge#apply} merges it into the stored row
 * in SQL.
 */
record ReadingsDelta(
    String sensorId,
    long readings,
    Reading latest,
    java.time.Instant recordedAt,
    long firstSeqNr,
    long lastSeqNr) {

  static ReadingsDelta of(String sensorId, ReadingsRecorded event, long seqNr) {
    return new ReadingsDelta(sensorId, 0, null, null, seqNr, seqNr).plus(event, seqNr);
  }

  /** This run followed by {@code event} at {@code seqNr}. */
  ReadingsDelta plus(ReadingsRecorded event, long seqNr) {
    Reading l = latest;
    for (Reading r : event.readings()) {
      if (l == null || !r.timestamp().isBefore(l.timestamp())) {
        l = r;
      }
    }
    return new ReadingsDelta(
        sensorId, readings + event.readings().size(), l, event.recordedAt(), firstSeqNr, seqNr);
  }
}
