package org.sensorcluster.projections;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.stream.javadsl.Source;
import org.sensorcluster.domain.event.SensorEvent;

/**
 * The journal's events of one tag ({@code eventsByTag}), each counted as it is read and
 * deserialized: {@link ReadModelRuntime#journalEventsRead()}, the figure that shows whether the
 * read models read each event once (ADR 23) or once per model.
 */
final class CountedEventsByTag extends SourceProvider<Offset, EventEnvelope<SensorEvent>> {

  private final SourceProvider<Offset, EventEnvelope<SensorEvent>> delegate;
  private final LongAdder read;

  CountedEventsByTag(ActorSystem<?> system, String tag, LongAdder read) {
    this.delegate = EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    this.read = read;
  }

  @Override
  public CompletionStage<Source<EventEnvelope<SensorEvent>, NotUsed>> source(
      Supplier<CompletionStage<Optional<Offset>>> offset) {
    return delegate
        .source(offset)
        .thenApply(
            s ->
                s.map(
                    env -> {
                      read.increment();
                      return env;
                    }));
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
