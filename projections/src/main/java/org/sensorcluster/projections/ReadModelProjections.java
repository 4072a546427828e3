package org.sensorcluster.projections;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.sensorcluster.domain.EventTags;
import org.sensorcluster.domain.event.SensorEvent;

/**
 * Which projections run the read models, as ShardedDaemonProcesses (one instance per tag, spread
 * over the cluster). With the shared reader (the default, docs/adr/0023): one {@link
 * SharedReaderInstance} per tag for every model's active generation, and per model an instance per
 * tag for a generation being rebuilt. Without it: per model an instance per tag for both, each
 * reading the journal on its own.
 */
final class ReadModelProjections {

  private ReadModelProjections() {}

  static void startDaemons(ActorSystem<?> system, ReadModelRuntime rt) {
    boolean shared = rt.settings().sharedReader();
    ShardedDaemonProcessSettings daemon = ShardedDaemonProcessSettings.create(system);
    if (shared) {
      ShardedDaemonProcess.get(system)
          .init(
              ProjectionInstance.Command.class,
              SharedReader.PROJECTION_NAME,
              rt.settings().tagCount(),
              index -> SharedReaderInstance.create(EventTags.tag(index), rt),
              daemon,
              Optional.of(ProjectionInstance.Stop.INSTANCE));
    }
    for (ReadModel model : rt.models()) {
      ShardedDaemonProcess.get(system)
          .init(
              ProjectionInstance.Command.class,
              shared ? model.modelName() + "-rebuild" : model.modelName(),
              rt.settings().tagCount(),
              index -> ProjectionInstance.create(model, EventTags.tag(index), rt, !shared),
              daemon,
              Optional.of(ProjectionInstance.Stop.INSTANCE));
    }
  }

  /**
   * Whether every member of the cluster, this node included, runs the shared reader: until then a
   * node running the read models the other way may be projecting them, and the shared reader and
   * the rebuild instances stay idle.
   */
  static boolean everyMemberShares(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    for (Member m : cluster.state().getMembers()) {
      if (!m.getRoles().contains(SharedReader.ROLE)) {
        return false;
      }
    }
    return cluster.selfMember().getRoles().contains(SharedReader.ROLE);
  }

  /** {@code model}'s handler for generation {@code gen} and {@code tag}, behind a PoisonGuard. */
  static JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> guardedHandler(
      ReadModelRuntime rt, ReadModel model, int gen, String tag) {
    String name = model.projectionName(gen);
    ProjectionCounters.Counter counter = rt.counters().counter(name, tag);
    return new PoisonGuard(
        model.handler(
            new HandlerContext(
                rt.database().dialect(), gen, tag, rt.clock(), rt.settings(), counter)),
        model,
        gen,
        tag,
        rt.deadLetters(),
        rt.clock());
  }

  /** The projection of {@code model}'s generation {@code gen} for {@code tag}, reading alone. */
  static GroupedProjection<Offset, EventEnvelope<SensorEvent>> alone(
      ActorSystem<?> system, ReadModelRuntime rt, ReadModel model, int gen, String tag) {
    return JdbcProjection.groupedWithin(
            ProjectionId.of(model.projectionName(gen), tag),
            new CountedEventsByTag(system, tag, rt.journalReads()),
            rt.database()::newSession,
            () -> guardedHandler(rt, model, gen, tag),
            system)
        .withGroup(rt.settings().groupSize(), rt.settings().groupWithin())
        .withRecoveryStrategy(PoisonGuard.recoveryStrategy());
  }
}
