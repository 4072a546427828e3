package org.sensorcluster.node.handoff;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node that is told to stop (SIGTERM) first has its sensors moved to the other nodes while it
 * still serves them, a few shards at a time ({@link DrainAwareAllocation}); only then does Pekko's
 * region shutdown run, with nothing left to hand off. It announces itself as draining to every
 * member (again every {@code ANNOUNCE_EVERY}, so that a coordinator that moves meanwhile hears it
 * too) and waits until its region holds no shard, at most {@link HandOffSettings#timeout()}, and
 * not at all when no other member could take the shards (a whole cluster stopping, a single node).
 */
public final class ShardDrain {

  private static final Logger LOG = LoggerFactory.getLogger(ShardDrain.class);
  private static final Duration ANNOUNCE_EVERY = Duration.ofMillis(500);
  private static final Duration POLL_EVERY = Duration.ofMillis(100);

  private final ActorSystem<?> system;
  private final EntityTypeKey<?> type;
  private final HandOffSettings settings;
  private final DrainingMembers draining;
  private volatile Cancellable announcing = Cancellable.alreadyCancelled();

  private ShardDrain(
      ActorSystem<?> system,
      EntityTypeKey<?> type,
      HandOffSettings settings,
      DrainingMembers draining) {
    this.system = system;
    this.type = type;
    this.settings = settings;
    this.draining = draining;
  }

  /**
   * Starts this node's {@link DrainRegistry} and adds the drain to its coordinated shutdown;
   * returns what the node heard of draining members, for its {@link DrainAwareAllocation}.
   */
  public static DrainingMembers install(
      ActorSystem<?> system, EntityTypeKey<?> type, HandOffSettings settings) {
    DrainingMembers draining = new DrainingMembers();
    system.systemActorOf(DrainRegistry.create(draining), DrainRegistry.NAME, Props.empty());
    ShardDrain drain = new ShardDrain(system, type, settings, draining);
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(
        CoordinatedShutdown.PhaseBeforeServiceUnbind(), "announce-draining", drain::announce);
    shutdown.addTask(
        CoordinatedShutdown.PhaseBeforeClusterShutdown(), "wait-for-shard-hand-off", drain::await);
    return draining;
  }

  private CompletionStage<Done> announce() {
    Cluster cluster = Cluster.get(system.classicSystem());
    if (cluster.selfMember().status() != MemberStatus.up()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    var message = new DrainRegistry.Draining(DrainingMembers.key(cluster.selfUniqueAddress()));
    announcing =
        system
            .scheduler()
            .scheduleAtFixedRate(
                Duration.ZERO,
                ANNOUNCE_EVERY,
                () -> {
                  for (Member m : cluster.state().getMembers()) {
                    system
                        .classicSystem()
                        .actorSelection(m.address() + "/system/" + DrainRegistry.NAME)
                        .tell(message, org.apache.pekko.actor.ActorRef.noSender());
                  }
                },
                system.executionContext());
    LOG.info("Draining: moving this node's sensor shards to the other members");
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  private CompletionStage<Done> await() {
    if (announcing.isCancelled()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    long started = System.nanoTime();
    return poll(deadline)
        .thenApply(
            left -> {
              announcing.cancel();
              long ms = (System.nanoTime() - started) / 1_000_000;
              if (left == 0) {
                LOG.info("Draining: every sensor shard moved away after {} ms", ms);
              } else if (!othersCanTakeOver()) {
                LOG.info(
                    "Draining: no other member can take this node's {} sensor shard(s) (the"
                        + " whole cluster stops, or this node is alone)",
                    left);
              } else {
                LOG.warn(
                    "Draining: {} sensor shard(s) still here after {} ms; the region's shutdown"
                        + " hands them off at once",
                    left,
                    ms);
              }
              return Done.getInstance();
            });
  }

  private CompletionStage<Integer> poll(long deadline) {
    return shardsHere()
        .thenCompose(
            n -> {
              if (n == 0 || System.nanoTime() > deadline || !othersCanTakeOver()) {
                return CompletableFuture.completedFuture(n);
              }
              return org.apache.pekko.pattern.Patterns.after(
                  POLL_EVERY,
                  system.classicSystem().scheduler(),
                  system.executionContext(),
                  () -> poll(deadline));
            });
  }

  private CompletionStage<Integer> shardsHere() {
    return AskPattern
        .<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
            ShardRegion.CurrentShardRegionState>
            ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetShardRegionState(type, replyTo),
                Duration.ofSeconds(2),
                system.scheduler())
        .thenApply(s -> s.getShards().size())
        .exceptionally(e -> -1);
  }

  /** Some other member is Up, reachable and not draining itself. */
  private boolean othersCanTakeOver() {
    Cluster cluster = Cluster.get(system.classicSystem());
    var state = cluster.state();
    for (Member m : state.getMembers()) {
      if (!m.uniqueAddress().equals(cluster.selfUniqueAddress())
          && draining.takesShards(m, state)) {
        return true;
      }
    }
    return false;
  }
}
