package org.sensorcluster.projections;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.apache.pekko.stream.javadsl.Source;
import org.sensorcluster.domain.event.SensorEvent;

/**
 * One tag's journal read once for the active generation of every read model that runs normally (not
 * paused, not being rebuilt): each event is read and deserialized once and handed to each model's
 * handler in one transaction, which also moves each model's own offset row
 * (docs/adr/0023-one-journal-reader-for-all-read-models.md). The reader starts at the lowest of its
 * members' stored offsets, and a member sees only the events after its own offset.
 */
public final class SharedReader {

  /**
   * The cluster role of nodes that run the shared readers ({@code
   * sensors.projections.shared-reader}, see {@link ReadModelProjections#everyMemberShares}).
   */
  public static final String ROLE = "shared-reader";

  /** The projection id's name; the key is the tag. */
  static final String PROJECTION_NAME = "read-models";

  /**
   * Appended to a generation's projection name for the Pekko offset of a reader with that one
   * member: the member's own offset row is moved by the reader alone.
   */
  static final String ALONE_SUFFIX = "-alone";

  /** A member: the projection name of a model's active generation, and the model. */
  record Member(String projection, ReadModel model, int generation) {}

  /** The members' offsets the current run started from (set by the source, read by handlers). */
  static final class Starts {
    private volatile Map<String, Long> offsets = Map.of();

    Map<String, Long> offsets() {
      return offsets;
    }
  }

  private SharedReader() {}

  /**
   * The projection of {@code tag} for {@code members}, with Pekko's own offset (not used to start
   * from) under {@code idName}.
   */
  static GroupedProjection<Offset, EventEnvelope<SensorEvent>> projection(
      ActorSystem<?> system, ReadModelRuntime rt, String tag, String idName, List<Member> members) {
    Starts starts = new Starts();
    SourceProvider<Offset, EventEnvelope<SensorEvent>> source =
        new FromSlowestMember(
            new CountedEventsByTag(system, tag, rt.journalReads()),
            rt.database(),
            tag,
            members,
            starts);
    return JdbcProjection.groupedWithin(
            ProjectionId.of(idName, tag),
            source,
            rt.database()::newSession,
            () -> new SharedReaderHandler(rt, tag, members, starts),
            system)
        .withGroup(rt.settings().groupSize(), rt.settings().groupWithin())
        .withRecoveryStrategy(PoisonGuard.recoveryStrategy());
  }

  /**
   * Starts the tag's events after the lowest stored offset of the members (ignoring the shared
   * projection's own offset, which Pekko stores as well), read afresh at every (re)start.
   */
  private static final class FromSlowestMember
      extends SourceProvider<Offset, EventEnvelope<SensorEvent>> {

    private final SourceProvider<Offset, EventEnvelope<SensorEvent>> delegate;
    private final ReadModelDatabase db;
    private final String tag;
    private final List<String> names;
    private final Starts starts;

    FromSlowestMember(
        SourceProvider<Offset, EventEnvelope<SensorEvent>> delegate,
        ReadModelDatabase db,
        String tag,
        List<Member> members,
        Starts starts) {
      this.delegate = delegate;
      this.db = db;
      this.tag = tag;
      this.names = members.stream().map(Member::projection).toList();
      this.starts = starts;
    }

    @Override
    public CompletionStage<Source<EventEnvelope<SensorEvent>, NotUsed>> source(
        Supplier<CompletionStage<Optional<Offset>>> ignored) {
      return CompletableFuture.supplyAsync(this::readStarts, db.blockingExecutor())
          .thenCompose(
              stored -> {
                starts.offsets = stored;
                long from =
                    names.stream().mapToLong(n -> stored.getOrDefault(n, 0L)).min().orElse(0);
                return delegate.source(
                    () -> CompletableFuture.completedFuture(Optional.of(Offset.sequence(from))));
              });
    }

    private Map<String, Long> readStarts() {
      try (Connection c = db.connection()) {
        try {
          Map<String, Long> all = JournalProbe.offsets(c); // name/tag -> offset
          Map<String, Long> mine = new java.util.HashMap<>();
          for (String name : names) {
            Long at = all.get(name + "/" + tag);
            if (at != null) {
              mine.put(name, at);
            }
          }
          return Map.copyOf(mine);
        } finally {
          c.rollback();
        }
      } catch (java.sql.SQLException e) {
        throw new ReadModelUnavailableException(
            "cannot read the read models' offsets for " + tag + ": " + e.getMessage(), e);
      }
    }

    @Override
    public Offset extractOffset(EventEnvelope<SensorEvent> envelope) {
      return delegate.extractOffset(envelope);
    }

    @Override
    public long extractCreationTime(EventEnvelope<SensorEvent> envelope) {
      return delegate.extractCreationTime(envelope);
    }
  }
}
