package org.sensorcluster.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.event.SensorEvent;

/**
 * {@link LiveEvents} over a list: fleet ids are positions in the list (1, 2, ...), a sensor's ids
 * its own count of events. A stream replays what follows its Last-Event-ID and then completes (the
 * route then ends the response), so that a test reads the whole body.
 */
final class InMemoryLiveEvents implements LiveEvents {

  private record Entry(String sensorId, SensorMetadata metadata, SensorEvent event) {}

  private final List<Entry> journal = new ArrayList<>();

  synchronized void reset() {
    journal.clear();
  }

  synchronized void append(String sensorId, SensorMetadata metadata, SensorEvent event) {
    journal.add(new Entry(sensorId, metadata, event));
  }

  @Override
  public synchronized Source<LiveEvent, NotUsed> fleet(Optional<String> lastEventId) {
    long after = lastEventId.map(InMemoryLiveEvents::position).orElse((long) journal.size());
    List<LiveEvent> out = new ArrayList<>(List.of(LiveEvent.start(Long.toString(after))));
    for (int i = (int) Math.min(after, journal.size()); i < journal.size(); i++) {
      Entry e = journal.get(i);
      out.add(new LiveEvent(Long.toString(i + 1), e.sensorId(), e.metadata(), e.event()));
    }
    return Source.from(out);
  }

  @Override
  public synchronized Source<LiveEvent, NotUsed> sensor(
      String sensorId, Optional<String> lastEventId) {
    long after = lastEventId.map(InMemoryLiveEvents::position).orElse(Long.MAX_VALUE);
    List<LiveEvent> out = new ArrayList<>(List.of(LiveEvent.start(lastEventId.orElse(null))));
    long seqNr = 0;
    for (Entry e : journal) {
      if (e.sensorId().equals(sensorId) && ++seqNr > after) {
        out.add(new LiveEvent(Long.toString(seqNr), sensorId, e.metadata(), e.event()));
      }
    }
    return Source.from(out);
  }

  private static long position(String id) {
    try {
      long p = Long.parseLong(id);
      if (p >= 0) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("expected a number >= 0, got '" + id + "'");
  }
}
