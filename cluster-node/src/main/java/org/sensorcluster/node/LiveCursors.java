package org.sensorcluster.node;

import java.util.List;
import org.apache.pekko.japi.function.Creator;
import org.apache.pekko.japi.function.Function;
import org.sensorcluster.http.LiveEvent;

/**
 * A live stream client's position, one per client: turns what {@link JournalLiveEvents} gives the
 * client (its start, its replay, then the tail) into the {@link LiveEvent}s it sends, dropping the
 * marks and every event at or before its position (passed already, or replayed).
 */
final class LiveCursors {

  private LiveCursors() {}

  /** The fleet stream's: an ordering per tag, sent as {@link FleetPosition}s. */
  static Creator<Function<TailEvent, Iterable<LiveEvent>>> fleet() {
    return () -> {
      long[][] at = {null};
      return e -> {
        if (e.isStart()) {
          at[0] = e.position().clone();
          return List.of(LiveEvent.start(FleetPosition.format(at[0])));
        }
        if (e.isMark() || e.ordering() <= at[0][e.tag()]) {
          return List.of();
        }
        at[0][e.tag()] = e.ordering();
        return List.of(
            new LiveEvent(
                FleetPosition.format(at[0]), e.sensorId(), e.metadata(), e.event(), e.encoded()));
      };
    };
  }

  /** A sensor stream's: the sensor's journal sequence number. */
  static Creator<Function<TailEvent, Iterable<LiveEvent>>> sensor(String sensorId) {
    return () -> {
      long[] at = {0};
      return e -> {
        if (e.isStart()) {
          at[0] = e.position()[0];
          return List.of(LiveEvent.start(Long.toString(at[0])));
        }
        if (e.isMark() || e.seqNr() <= at[0]) {
          return List.of();
        }
        at[0] = e.seqNr();
        return List.of(
            new LiveEvent(
                Long.toString(e.seqNr()), sensorId, e.metadata(), e.event(), e.encoded()));
      };
    };
  }
}
