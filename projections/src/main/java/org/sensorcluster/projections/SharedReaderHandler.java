package org.sensorcluster.projections;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.event.SensorEvent;

/**
 * Applies one group of a tag's events to every member of a {@link SharedReader}, in the group's one
 * transaction: each member's handler (behind its own {@link PoisonGuard}) gets the events after the
 * member's start offset, then the member's offset row moves to the group's last event. A member
 * paused meanwhile (its management row) is skipped and keeps its offset; the reader is restarted
 * without it by {@link SharedReaderInstance}.
 */
final class SharedReaderHandler
    extends JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> {

  private record Guarded(
      SharedReader.Member member,
      JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> handler) {}

  private final ReadModelRuntime rt;
  private final String tag;
  private final List<Guarded> members = new ArrayList<>();
  private final SharedReader.Starts starts;

  /** The start offsets the {@link #written} ones were derived from. */
  private Map<String, Long> seenStarts;

  /** Each member's offset as this reader last wrote it (null: no row yet). */
  private final Map<String, Long> written = new HashMap<>();

  SharedReaderHandler(
      ReadModelRuntime rt,
      String tag,
      List<SharedReader.Member> members,
      SharedReader.Starts starts) {
    this.rt = rt;
    this.tag = tag;
    this.starts = starts;
    for (SharedReader.Member m : members) {
      this.members.add(
          new Guarded(m, ReadModelProjections.guardedHandler(rt, m.model(), m.generation(), tag)));
    }
  }

  @Override
  public void start() {
    for (Guarded g : members) {
      g.handler().start();
    }
  }

  @Override
  public void stop() {
    for (Guarded g : members) {
      g.handler().stop();
    }
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<SensorEvent>> envelopes)
      throws Exception {
    Map<String, Long> startOffsets = starts.offsets();
    if (startOffsets != seenStarts) { // a new run of the source: offsets as read at its start
      seenStarts = startOffsets;
      written.clear();
      written.putAll(startOffsets);
    }
    Set<String> paused = session.withConnection(JournalProbe::paused); // name/tag
    List<MemberOffsets.Move> moves = new ArrayList<>();
    for (Guarded g : members) {
      String name = g.member().projection();
      if (paused.contains(name + "/" + tag)) {
        continue;
      }
      long after = startOffsets.getOrDefault(name, 0L);
      List<EventEnvelope<SensorEvent>> mine = new ArrayList<>(envelopes.size());
      for (EventEnvelope<SensorEvent> env : envelopes) {
        if (offset(env) > after) {
          mine.add(env);
        }
      }
      if (mine.isEmpty()) {
        continue;
      }
      g.handler().process(session, mine);
      long last = offset(mine.get(mine.size() - 1));
      moves.add(new MemberOffsets.Move(name, written.get(name), last));
    }
    long now = rt.clock().millis();
    session.withConnection(
        c -> {
          MemberOffsets.advance(c, tag, moves, now);
          return null;
        });
    for (MemberOffsets.Move m : moves) { // if the commit fails, the next write finds the old value
      written.put(m.name(), m.next());
    }
  }

  private static long offset(EventEnvelope<SensorEvent> env) {
    if (env.offset() instanceof Sequence s) {
      return s.value();
    }
    throw new IllegalStateException("not a sequence offset: " + env.offset());
  }
}
