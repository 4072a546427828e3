package org.sensorcluster.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.sensorcluster.node.entity.SensorCommand;
import org.sensorcluster.node.entity.SensorEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds sensors that went silent. Runs on every node; only the oldest Up member acts (the others
 * would send the same commands: harmless, since the entity decides, but wasted). Every check
 * interval it asks {@code sensor_latest} for sensors past their expected interval and not silent
 * yet, and sends each a {@link SensorCommand.CheckSilence} through Cluster Sharding: the entity
 * decides with its own state and clock, so a passivated sensor (woken by the command) or one on a
 * restarted node is checked alike. A sensor the read model has not caught up with is asked again at
 * the next look; one that is silent now drops out of the query once its {@code SensorWentSilent} is
 * projected.
 */
public final class SilenceWatcher {

  private static final Logger log = LoggerFactory.getLogger(SilenceWatcher.class);

  /** The watcher's messages. */
  sealed interface Msg permits Tick, Found, Failed {}

  private enum Tick implements Msg {
    INSTANCE
  }

  private record Found(List<String> sensorIds) implements Msg {}

  private record Failed(Throwable cause) implements Msg {}

  private SilenceWatcher() {}

  /**
   * Starts the watcher on this node.
   *
   * @param candidates (fleet default, limit) to the sensors that may have gone silent
   */
  public static ActorRef<Msg> start(
      ActorSystem<?> system,
      SilenceSettings settings,
      BiFunction<Duration, Integer, CompletionStage<List<String>>> candidates) {
    Behavior<Msg> behavior =
        Behaviors.supervise(watcher(settings, candidates)).onFailure(SupervisorStrategy.restart());
    return system.systemActorOf(behavior, "silence-watcher", Props.empty());
  }

  private static Behavior<Msg> watcher(
      SilenceSettings settings,
      BiFunction<Duration, Integer, CompletionStage<List<String>>> candidates) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.checkInterval());
                  ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
                  Cluster cluster = Cluster.get(ctx.getSystem());
                  boolean[] looking = {false};
                  return Behaviors.receive(Msg.class)
                      .onMessage(
                          Tick.class,
                          t -> {
                            if (!looking[0] && isOldest(cluster)) {
                              looking[0] = true;
                              ctx.pipeToSelf(
                                  candidates.apply(
                                      settings.defaultExpectedInterval(), settings.batchLimit()),
                                  (ids, failure) ->
                                      failure == null ? new Found(ids) : new Failed(failure));
                            }
                            return Behaviors.same();
                          })
                      .onMessage(
                          Found.class,
                          f -> {
                            looking[0] = false;
                            for (String id : f.sensorIds()) {
                              sharding
                                  .entityRefFor(SensorEntity.TYPE_KEY, id)
                                  .tell(new SensorCommand.CheckSilence());
                            }
                            if (!f.sensorIds().isEmpty()) {
                              log.debug(
                                  "asked {} sensor(s) past their expected interval to check their silence",
                                  f.sensorIds().size());
                            }
                            return Behaviors.same();
                          })
                      .onMessage(
                          Failed.class,
                          f -> {
                            looking[0] = false;
                            log.warn(
                                "could not look for silent sensors (trying again in {}): {}",
                                settings.checkInterval(),
                                SensorNode.rootMessage(f.cause()));
                            return Behaviors.same();
                          })
                      .build();
                }));
  }

  /** Whether this node is the oldest Up member of the cluster (false while it is not Up itself). */
  static boolean isOldest(Cluster cluster) {
    Member self = cluster.selfMember();
    if (self.status() != MemberStatus.up()) {
      return false;
    }
    for (Member m : cluster.state().getMembers()) {
      if (m.status() == MemberStatus.up() && m.isOlderThan(self)) {
        return false;
      }
    }
    return true;
  }
}
