package org.sensorcluster.node;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.function.Predicate;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.sensorcluster.domain.EventTags;
import org.sensorcluster.domain.SensorPersistenceIds;
import org.sensorcluster.http.LiveEvent;
import org.sensorcluster.http.LiveEvents;
import org.sensorcluster.projections.ReadModelDatabase;

/**
 * {@link LiveEvents} from the journal. One live tail per node: an {@code eventsByTag} query per
 * tag, merged and fanned out to every stream client by a {@link BroadcastHub} (so the database is
 * polled per tag, not per client). Each client reads the hub through a buffer of {@code
 * clientBuffer} events that fails when full: a client that falls that far behind is disconnected
 * (it resumes with Last-Event-ID) and never holds the others back; memory is bounded by the hub's
 * and the clients' buffers.
 *
 * <p>Every {@link #MARK_INTERVAL} the tail carries a mark: its position at that point of its
 * stream. The hub attaches a client at some point of the stream it cannot tell; the client's first
 * mark tells it: everything after the mark reaches it, everything before it is in the database
 * already. A new client starts at its first mark (no query); a resuming one then replays the
 * journal after its Last-Event-ID (queries of its own, only on reconnect) and drops the live events
 * it has replayed ({@link LiveCursors}). Fleet ids are {@link FleetPosition}s; a sensor's ids its
 * journal sequence numbers (a new client of a sensor stream starts at the sensor's last one).
 */
final class JournalLiveEvents implements LiveEvents {

  static final Duration MARK_INTERVAL = Duration.ofMillis(200);
  static final long START_MARGIN = 10_000;
  private static final int LOOKUP_PARALLELISM = 4;

  private final JdbcReadJournal journal;
  private final int tagCount;
  private final int clientBuffer;
  private final SensorMetadataCache metadata;

  /**
   * Per tag, the ordering of the last event the tail passed on: where it restarts after a failure.
   */
  private final AtomicLongArray tail;

  private final Source<TailEvent, NotUsed> hub;

  private JournalLiveEvents(
      JdbcReadJournal journal,
      int tagCount,
      int clientBuffer,
      SensorMetadataCache metadata,
      long head,
      ActorSystem<?> system,
      int hubBuffer) {
    this.journal = journal;
    this.tagCount = tagCount;
    this.clientBuffer = clientBuffer;
    this.metadata = metadata;
    this.tail = new AtomicLongArray(FleetPosition.filled(tagCount, head));
    RestartSettings restart =
        RestartSettings.create(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2);
    TailEvent tick = TailEvent.mark(null);
    this.hub =
        RestartSource.withBackoff(restart, this::tailFromWhereItStands)
            .merge(
                Source.tick(MARK_INTERVAL, MARK_INTERVAL, tick)
                    .mapMaterializedValue(c -> NotUsed.getInstance()))
            .map(this::passed) // after the merge: a mark holds exactly what went before it
            .toMat(BroadcastHub.of(TailEvent.class, hubBuffer), Keep.right())
            .run(system);
    // always one consumer: the tail keeps pace with the journal even while no client listens
    hub.runWith(Sink.ignore(), system);
  }

  /**
   * Starts the tail after ordering {@code head} (see {@link #tailStart}).
   *
   * @param hubBuffer the hub's buffer, a power of two
   * @param clientBuffer events a client may be behind the tail before it is disconnected
   */
  static JournalLiveEvents start(
      ActorSystem<?> system,
      int tagCount,
      long head,
      int hubBuffer,
      int clientBuffer,
      SensorMetadataCache metadata) {
    JdbcReadJournal journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return new JournalLiveEvents(
        journal, tagCount, clientBuffer, metadata, head, system, hubBuffer);
  }

  private Source<TailEvent, NotUsed> tailFromWhereItStands() {
    List<Source<TailEvent, NotUsed>> tags = new ArrayList<>(tagCount);
    for (int i = 0; i < tagCount; i++) {
      int tag = i;
      tags.add(
          journal
              .eventsByTag(EventTags.tag(tag), Offset.sequence(tail.get(tag)))
              .map(e -> TailEvent.of(tag, e)));
    }
    return Source.from(tags)
        .flatMapMerge(tagCount, s -> s)
        .mapAsync(LOOKUP_PARALLELISM, this::withMetadata);
  }

  /** Records an event's ordering, or turns a tick into a mark of the position so far. */
  private TailEvent passed(TailEvent e) {
    if (!e.isMark()) {
      tail.accumulateAndGet(e.tag(), e.ordering(), Math::max);
      return e;
    }
    long[] at = new long[tagCount];
    for (int i = 0; i < tagCount; i++) {
      at[i] = tail.get(i);
    }
    return TailEvent.mark(at);
  }

  @Override
  public Source<LiveEvent, NotUsed> fleet(Optional<String> lastEventId) {
    long[] given = lastEventId.map(id -> FleetPosition.parse(id, tagCount)).orElse(null);
    return attached(
            e -> true,
            mark -> {
              if (given == null) {
                return CompletableFuture.completedFuture(Source.single(TailEvent.start(mark)));
              }
              List<Source<TailEvent, NotUsed>> tags = new ArrayList<>(tagCount);
              for (int i = 0; i < tagCount; i++) {
                int tag = i;
                tags.add(
                    journal
                        .currentEventsByTag(EventTags.tag(tag), Offset.sequence(given[tag]))
                        .map(e -> TailEvent.of(tag, e))
                        .mapAsync(LOOKUP_PARALLELISM, this::withMetadata));
              }
              return CompletableFuture.completedFuture(
                  Source.single(TailEvent.start(given))
                      .concat(Source.from(tags).flatMapConcat(t -> t)));
            })
        .statefulMapConcat(LiveCursors.fleet());
  }

  @Override
  public Source<LiveEvent, NotUsed> sensor(String sensorId, Optional<String> lastEventId) {
    String pid = SensorPersistenceIds.of(sensorId);
    Long given = lastEventId.map(FleetPosition::sequenceNr).orElse(null);
    return attached(
            e -> e.persistenceId().equals(pid),
            mark ->
                (given != null
                        ? CompletableFuture.completedFuture(given)
                        : journal
                            .currentLastSequenceNumberByPersistenceId(pid)
                            .thenApply(last -> last.orElse(0L)))
                    .thenApply(
                        from ->
                            Source.single(TailEvent.start(new long[] {from}))
                                .concat(
                                    journal
                                        .currentEventsByPersistenceId(pid, from + 1, Long.MAX_VALUE)
                                        .map(e -> TailEvent.of(-3, e)))))
        .statefulMapConcat(LiveCursors.sensor(sensorId));
  }

  /**
   * A client's elements: attached to the hub at once (the events it wants, and marks) through its
   * bounded buffer; when its first mark passes, {@code start} gives what goes before the live
   * elements: the client's start (its position) and its replay from the journal. Its events before
   * the first mark are before its start (or in its replay): the caller drops them as already
   * passed.
   */
  private Source<TailEvent, NotUsed> attached(
      Predicate<TailEvent> wanted,
      java.util.function.Function<long[], CompletionStage<Source<TailEvent, NotUsed>>> start) {
    CompletableFuture<long[]> firstMark = new CompletableFuture<>();
    Source<TailEvent, NotUsed> live =
        hub.filter(e -> e.isMark() || wanted.test(e))
            .map(
                e -> {
                  if (e.isMark()) {
                    firstMark.complete(e.position());
                  }
                  return e;
                })
            .buffer(clientBuffer, OverflowStrategy.fail());
    return Source.completionStageSource(firstMark.thenCompose(start))
        .mapMaterializedValue(m -> NotUsed.getInstance())
        .concat(live);
  }

  /**
   * Where the tail of a starting node begins: {@link #START_MARGIN} orderings before the journal's
   * highest now. Orderings are taken when a write starts, not when it commits: another node's write
   * in flight now may commit below the highest, and a tail started at the highest would never see
   * it. What the tail reads below the head reaches no client (clients start at a later mark).
   */
  static long tailStart(ReadModelDatabase db) throws SQLException {
    return Math.max(0, db.journalHead() - START_MARGIN);
  }

  private CompletionStage<TailEvent> withMetadata(TailEvent e) {
    if (e.metadata() != null) {
      metadata.put(e.sensorId(), e.metadata());
      return CompletableFuture.completedFuture(e);
    }
    return metadata.get(e.sensorId()).thenApply(e::withMetadata);
  }
}
