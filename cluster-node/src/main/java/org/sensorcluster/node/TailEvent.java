package org.sensorcluster.node;

import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Sequence;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorMetadataUpdated;
import org.sensorcluster.http.LiveEvent;

/**
 * A journal event as the live tail ({@link JournalLiveEvents}) carries it; or a mark of the tail's
 * {@code position} ({@code tag} -1), or a client's start at {@code position} ({@code tag} -2):
 * {@code event} null on both. {@code encoded}: the event's JSON, made once for all the clients that
 * send it.
 */
record TailEvent(
    int tag,
    long ordering,
    String persistenceId,
    long seqNr,
    String sensorId,
    SensorMetadata metadata,
    SensorEvent event,
    long[] position,
    LiveEvent.Encoded encoded) {

  static TailEvent mark(long[] position) {
    return new TailEvent(-1, 0, "", 0, "", null, null, position, null);
  }

  static TailEvent start(long[] position) {
    return new TailEvent(-2, 0, "", 0, "", null, null, position, null);
  }

  /** The journal's {@code e}, read under {@code tag}; its metadata when it carries some. */
  static TailEvent of(int tag, EventEnvelope e) {
    long ordering = e.offset() instanceof Sequence s ? s.value() : 0;
    String sensorId = SensorPersistenceIds.sensorIdOf(e.persistenceId());
    SensorEvent event = (SensorEvent) e.event();
    SensorMetadata m = event instanceof SensorMetadataUpdated u ? u.metadata() : null;
    return new TailEvent(
        tag,
        ordering,
        e.persistenceId(),
        e.sequenceNr(),
        sensorId,
        m,
        event,
        null,
        new LiveEvent.Encoded());
  }

  /** This event with its sensor's metadata {@code m}. */
  TailEvent withMetadata(SensorMetadata m) {
    return new TailEvent(tag, ordering, persistenceId, seqNr, sensorId, m, event, null, encoded);
  }

  boolean isMark() {
    return tag == -1;
  }

  boolean isStart() {
    return tag == -2;
  }
}
