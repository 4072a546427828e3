package org.sensorcluster.projections;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.EventTags;
import org.sensorcluster.domain.event.SensorEvent;

/**
 * Which readers run the read models, as ShardedDaemonProcesses (one instance per tag, spread over
 * the cluster; docs/adr/0023). When every member runs the shared reader: per tag one {@link
 * SharedReaderInstance} for every model's active generation and one for every generation being
 * rebuilt. Otherwise (a member with it off, or of an older release): per model and tag a {@link
 * ProjectionInstance}, each reading the journal on its own.
 */
final class ReadModelProjections {

  private ReadModelProjections() {}

  /**
   * Every node starts every daemon, whatever its own setting, so that their coordinators can run on
   * any node; which of them work is decided by {@link #everyMemberShares}.
   */
  static void startDaemons(ActorSystem<?> system, ReadModelRuntime rt) {
    ShardedDaemonProcessSettings daemon = ShardedDaemonProcessSettings.create(system);
    int tags = rt.settings().tagCount();
    for (SharedReaderInstance.Feeds feeds : SharedReaderInstance.Feeds.values()) {
      ShardedDaemonProcess.get(system)
          .init(
              ProjectionInstance.Command.class,
              feeds.projectionName,
              tags,
              index -> SharedReaderInstance.create(EventTags.tag(index), rt, feeds),
              daemon,
              Optional.of(ProjectionInstance.Stop.INSTANCE));
    }
    for (ReadModel model : rt.models()) {
      ShardedDaemonProcess.get(system)
          .init(
              ProjectionInstance.Command.class,
              model.modelName(),
              tags,
              index -> ProjectionInstance.create(model, EventTags.tag(index), rt),
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
}
