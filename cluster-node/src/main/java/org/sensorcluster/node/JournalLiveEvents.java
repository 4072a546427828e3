package org.sensorcluster.node;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.sensorcluster.domain.EventTags;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorMetadataUpdated;
import org.sensorcluster.http.LiveEvent;
import org.sensorcluster.http.LiveEvents;
import org.sensorcluster.projections.ReadModelDatabase;
import org.sensorcluster.projections.SensorPersistenceIds;

/**
 * {@link LiveEvents} from the journal. One live tail per node: an {@code eventsByTag} query per tag,
 * merged and fanned out to every stream client by a {@link BroadcastHub} (so the database is polled
 * per tag, not per client). Each client reads the hub through a buffer of {@code clientBuffer} events
 * that fails when full: a client that falls that far behind is disconnected (it resumes with
 * Last-Event-ID) and never holds the others back; memory is bounded by the hub's and the clients'
 * buffers. A client that resumes first replays the journal after its position (a query of its own,
 * only on reconnect) while already attached to the hub, then drops the live events it has replayed.
 *
 * <p>Fleet ids are {@link FleetPosition}s; a sensor's ids its journal sequence numbers. A client
 * without Last-Event-ID starts where the tail stands when it connects (a sensor stream: at the
 * sensor's last sequence number).
 */
final class JournalLiveEvents implements LiveEvents {

  /** A journal event as the tail carries it. */
  record TailEvent(int tag, long ordering, String persistenceId, long seqNr, String sensorId,
                   SensorMetadata metadata, SensorEvent event) {}

  private static final int LOOKUP_PARALLELISM = 4;

  private final JdbcReadJournal journal;
  private final int tagCount;
  private final int clientBuffer;
  private final SensorMetadataCache metadata;
  private final AtomicLongArray tail;
  private final Source<TailEvent, NotUsed> hub;

  private JournalLiveEvents(JdbcReadJournal journal, int tagCount, int clientBuffer, SensorMetadataCache metadata,
                            long head, ActorSystem<?> system, int hubBuffer) {
    this.journal = journal;
    this.tagCount = tagCount;
    this.clientBuffer = clientBuffer;
    this.metadata = metadata;
    this.tail = new AtomicLongArray(FleetPosition.filled(tagCount, head));
    RestartSettings restart = RestartSettings.create(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2);
    this.hub = RestartSource.withBackoff(restart, this::tailFromWhereItStands)
        .toMat(BroadcastHub.of(TailEvent.class, hubBuffer), Keep.right())
        .run(system);
    // always one consumer: the tail keeps pace with the journal even while no client listens
    hub.runWith(Sink.ignore(), system);
  }

  /**
   * Starts the tail at the journal's {@code head} (its highest ordering now).
   *
   * @param hubBuffer the hub's buffer, a power of two
   * @param clientBuffer events a client may be behind the tail before it is disconnected
   */
  static JournalLiveEvents start(ActorSystem<?> system, int tagCount, long head, int hubBuffer, int clientBuffer,
                                 SensorMetadataCache metadata) {
    JdbcReadJournal journal = PersistenceQuery.get(system)
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return new JournalLiveEvents(journal, tagCount, clientBuffer, metadata, head, system, hubBuffer);
  }

  private Source<TailEvent, NotUsed> tailFromWhereItStands() {
    List<Source<TailEvent, NotUsed>> tags = new ArrayList<>(tagCount);
    for (int i = 0; i < tagCount; i++) {
      int tag = i;
      tags.add(journal.eventsByTag(EventTags.tag(tag), Offset.sequence(tail.get(tag))).map(e -> tailEvent(tag, e)));
    }
    return Source.from(tags).flatMapMerge(tagCount, s -> s)
        .mapAsync(LOOKUP_PARALLELISM, this::withMetadata)
        .map(e -> {
          tail.accumulateAndGet(e.tag(), e.ordering(), Math::max);
          return e;
        });
  }

  @Override
  public Source<LiveEvent, NotUsed> fleet(Optional<String> lastEventId) {
    long[] from;
    Source<TailEvent, NotUsed> replay;
    if (lastEventId.isPresent()) {
      from = FleetPosition.parse(lastEventId.get(), tagCount);
      List<Source<TailEvent, NotUsed>> tags = new ArrayList<>(tagCount);
      for (int i = 0; i < tagCount; i++) {
        int tag = i;
        tags.add(journal.currentEventsByTag(EventTags.tag(tag), Offset.sequence(from[tag]))
            .map(e -> tailEvent(tag, e)).mapAsync(LOOKUP_PARALLELISM, this::withMetadata));
      }
      replay = Source.from(tags).flatMapConcat(s -> s);
    } else {
      from = snapshot();
      replay = Source.empty();
    }
    return Source.single(LiveEvent.start(FleetPosition.format(from)))
        .concat(replay.concat(live(e -> true)).statefulMapConcat(() -> {
          long[] at = from.clone();
          return e -> {
            if (e.ordering() <= at[e.tag()]) {
              return List.of();
            }
            at[e.tag()] = e.ordering();
            return List.of(new LiveEvent(FleetPosition.format(at), e.sensorId(), e.metadata(), e.event()));
          };
        }));
  }

  @Override
  public Source<LiveEvent, NotUsed> sensor(String sensorId, Optional<String> lastEventId) {
    String pid = SensorPersistenceIds.of(sensorId);
    Long given = lastEventId.map(FleetPosition::sequenceNr).orElse(null);
    return Source.completionStage(given != null ? CompletableFuture.completedFuture(given)
            : journal.currentLastSequenceNumberByPersistenceId(pid).thenApply(last -> last.orElse(0L)))
        .flatMapConcat(from -> Source.single(LiveEvent.start(Long.toString(from)))
            .concat(journal.currentEventsByPersistenceId(pid, from + 1, Long.MAX_VALUE)
                .map(e -> tailEvent(-1, e))
                .concat(live(e -> e.persistenceId().equals(pid)))
                .statefulMapConcat(() -> {
                  long[] at = {from};
                  return e -> {
                    if (e.seqNr() <= at[0]) {
                      return List.of();
                    }
                    at[0] = e.seqNr();
                    return List.of(new LiveEvent(Long.toString(e.seqNr()), sensorId, e.metadata(), e.event()));
                  };
                })));
  }

  /** Sensors whose metadata this node knows (for tests and metrics). */
  int knownSensors() {
    return metadata.size();
  }

  /** The hub as one client sees it: attached at once, failing when {@code clientBuffer} events behind. */
  private Source<TailEvent, NotUsed> live(org.apache.pekko.japi.function.Predicate<TailEvent> wanted) {
    return hub.filter(wanted).buffer(clientBuffer, OverflowStrategy.fail());
  }

  private long[] snapshot() {
    long[] at = new long[tagCount];
    for (int i = 0; i < tagCount; i++) {
      at[i] = tail.get(i);
    }
    return at;
  }

  /** The journal's highest ordering now (0 when empty): where the tail of a starting node begins. */
  static long head(ReadModelDatabase db) throws SQLException {
    try (Connection c = db.connection();
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT MAX(\"ordering\") FROM \"event_journal\"")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static TailEvent tailEvent(int tag, EventEnvelope e) {
    long ordering = e.offset() instanceof Sequence s ? s.value() : 0;
    String sensorId = SensorPersistenceIds.sensorIdOf(e.persistenceId());
    SensorEvent event = (SensorEvent) e.event();
    SensorMetadata m = event instanceof SensorMetadataUpdated u ? u.metadata() : null;
    return new TailEvent(tag, ordering, e.persistenceId(), e.sequenceNr(), sensorId, m, event);
  }

  private java.util.concurrent.CompletionStage<TailEvent> withMetadata(TailEvent e) {
    if (e.metadata() != null) {
      metadata.put(e.sensorId(), e.metadata());
      return CompletableFuture.completedFuture(e);
    }
    return metadata.get(e.sensorId()).thenApply(m -> new TailEvent(e.tag(), e.ordering(), e.persistenceId(),
        e.seqNr(), e.sensorId(), m, e.event()));
  }
}
