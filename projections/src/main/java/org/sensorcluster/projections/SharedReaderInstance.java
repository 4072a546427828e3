package org.sensorcluster.projections;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.projection.ProjectionBehavior;

/**
 * The {@link SharedReader} of one tag, as a ShardedDaemonProcess instance. Every poll it compares
 * the reader's members with the generations it {@link Feeds}; when they differ at two polls in a
 * row it stops the reader, waits until it has stopped (two readers never write the same offsets at
 * once) and starts one with the new members. It starts nothing while a member of the cluster lacks
 * the {@link SharedReader#ROLE} role: such a node (an older release, or one with the shared reader
 * switched off) still projects each model on its own, and both at once would apply events twice.
 */
final class SharedReaderInstance {

  private SharedReaderInstance() {}

  /** Which generations a reader feeds. */
  enum Feeds {
    /** Every model's active generation, unless paused: projection {@code read-models}. */
    ACTIVE(SharedReader.PROJECTION_NAME),
    /** Every generation being rebuilt: projection {@code read-models-rebuild}. */
    BUILDING(SharedReader.PROJECTION_NAME + "-rebuild");

    final String projectionName;

    Feeds(String projectionName) {
      this.projectionName = projectionName;
    }
  }

  static Behavior<ProjectionInstance.Command> create(String tag, ReadModelRuntime rt, Feeds feeds) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(
                      ProjectionInstance.Tick.INSTANCE, rt.settings().generationPoll());
                  State s = new State();
                  reconcile(ctx, tag, rt, feeds, s);
                  return Behaviors.receive(ProjectionInstance.Command.class)
                      .onMessageEquals(
                          ProjectionInstance.Tick.INSTANCE,
                          () -> {
                            reconcile(ctx, tag, rt, feeds, s);
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          ProjectionInstance.Stop.INSTANCE,
                          () -> {
                            if (s.child == null) {
                              return Behaviors.stopped();
                            }
                            s.exiting = true; // stop after the reader's last transaction
                            s.child.tell(ProjectionBehavior.stopMessage());
                            return Behaviors.same();
                          })
                      .onSignal(
                          Terminated.class,
                          t -> {
                            if (!t.getRef().equals(s.child)) {
                              return Behaviors.same();
                            }
                            s.child = null;
                            s.running = null;
                            if (s.exiting) {
                              return Behaviors.stopped();
                            }
                            reconcile(ctx, tag, rt, feeds, s);
                            return Behaviors.same();
                          })
                      .build();
                }));
  }

  private static final class State {
    ActorRef<ProjectionBehavior.Command> child;
    List<SharedReader.Member> running;
    boolean stopping;
    boolean exiting;
    List<SharedReader.Member> seen;
  }

  private static void reconcile(
      ActorContext<ProjectionInstance.Command> ctx,
      String tag,
      ReadModelRuntime rt,
      Feeds feeds,
      State s) {
    List<SharedReader.Member> wanted =
        ReadModelProjections.everyMemberShares(ctx.getSystem())
            ? members(tag, rt, feeds)
            : List.of();
    if (!wanted.equals(s.seen)) { // act on a membership seen at two polls in a row: rebuilds of
      s.seen = wanted; // several models started together then share one pass over the journal
      return;
    }
    if (s.exiting) {
      return;
    }
    if (s.child != null) {
      if (!wanted.equals(s.running) && !s.stopping) {
        ctx.getLog()
            .info("stopping the shared reader of {} (members change to {})", tag, names(wanted));
        s.child.tell(ProjectionBehavior.stopMessage()); // graceful: its transaction ends first
        s.stopping = true;
      }
      return; // a new reader starts once this one has terminated
    }
    s.stopping = false;
    if (!wanted.isEmpty()) {
      ctx.getLog().info("starting the shared reader of {} for {}", tag, names(wanted));
      s.child =
          ctx.spawn(
              ProjectionBehavior.create(
                  SharedReader.projection(ctx.getSystem(), rt, tag, feeds.projectionName, wanted)),
              "shared-" + System.nanoTime());
      ctx.watch(s.child);
      s.running = wanted;
    }
  }

  /**
   * The generations {@code feeds} names: each model's active one not paused for {@code tag}, or
   * each model's one being rebuilt.
   */
  private static List<SharedReader.Member> members(String tag, ReadModelRuntime rt, Feeds feeds) {
    List<SharedReader.Member> out = new ArrayList<>();
    for (ReadModel model : rt.models()) {
      Generations.State g = rt.generations().current(model);
      if (g == null) {
        return List.of(); // not read yet
      }
      Integer gen = feeds == Feeds.ACTIVE ? Integer.valueOf(g.active()) : g.building();
      if (gen == null) {
        continue;
      }
      String name = model.projectionName(gen);
      if (feeds == Feeds.BUILDING || !rt.generations().paused().contains(name + "/" + tag)) {
        out.add(new SharedReader.Member(name, model, gen));
      }
    }
    return out;
  }

  private static List<String> names(List<SharedReader.Member> members) {
    return members.stream().map(SharedReader.Member::projection).toList();
  }
}
