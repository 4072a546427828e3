package org.sensorcluster.projections;

import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.sensorcluster.domain.EventTags;
import org.sensorcluster.domain.event.SensorEvent;

/**
 * Runs the {@code sensor_latest} projection: one instance per event tag, spread over the cluster by
 * a ShardedDaemonProcess, each reading {@code eventsByTag} from the JDBC read journal.
 */
public final class SensorLatestProjection {

  public static final String NAME = "sensor_latest";

  private SensorLatestProjection() {}

  /** Settings of the projection, from {@code sensors.projections}. */
  public record Settings(int tagCount, int groupSize, Duration groupWithin) {}

  public static void init(ActorSystem<?> system, ReadModelDatabase db, Settings settings) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        NAME,
        settings.tagCount(),
        index -> ProjectionBehavior.create(create(system, db, settings, EventTags.tag(index))),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  static GroupedProjection<Offset, EventEnvelope<SensorEvent>> create(
      ActorSystem<?> system, ReadModelDatabase db, Settings settings, String tag) {
    SourceProvider<Offset, EventEnvelope<SensorEvent>> source =
        EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.groupedWithin(
            ProjectionId.of(NAME, tag),
            source,
            db::newSession,
            () -> new SensorLatestHandler(db.dialect()),
            system)
        .withGroup(settings.groupSize(), settings.groupWithin());
  }
}
