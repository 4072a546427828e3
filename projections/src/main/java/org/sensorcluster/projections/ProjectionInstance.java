package org.sensorcluster.projections;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.projection.ProjectionBehavior;

/**
 * One read model's work for one tag while not every member of the cluster runs the shared readers
 * (a member has them switched off or is of an older release, ADR 23), as a ShardedDaemonProcess
 * instance: it runs a reader of its own (a {@link SharedReader} with one member, so its offset
 * moves by compare-and-set) for the model's active generation unless paused and, while a rebuild is
 * going on, for the generation being built, each as a child {@link ProjectionBehavior}. Every poll
 * it compares the children with {@link Generations#current} and starts or stops readers to match.
 */
public final class ProjectionInstance {

  /** Messages of the instance. */
  public interface Command {}

  /** Re-check the generations. */
  enum Tick implements Command {
    INSTANCE
  }

  /** Sent by ShardedDaemonProcess when the instance must stop (rebalance, node leaving). */
  public enum Stop implements Command {
    INSTANCE
  }

  private ProjectionInstance() {}

  static Behavior<Command> create(ReadModel model, String tag, ReadModelRuntime runtime) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(
                      Tick.INSTANCE, runtime.settings().generationPoll());
                  Map<Integer, ActorRef<ProjectionBehavior.Command>> children = new HashMap<>();
                  reconcile(ctx, model, tag, runtime, children);
                  return Behaviors.receive(Command.class)
                      .onMessageEquals(
                          Tick.INSTANCE,
                          () -> {
                            reconcile(ctx, model, tag, runtime, children);
                            return Behaviors.same();
                          })
                      .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
                      .onSignal(
                          Terminated.class,
                          t -> {
                            children.values().removeIf(ref -> ref.equals(t.getRef()));
                            return Behaviors.same();
                          })
                      .build();
                }));
  }

  private static void reconcile(
      ActorContext<Command> ctx,
      ReadModel model,
      String tag,
      ReadModelRuntime runtime,
      Map<Integer, ActorRef<ProjectionBehavior.Command>> children) {
    Generations.State state = runtime.generations().current(model);
    if (state == null) {
      return; // not read yet
    }
    Set<Integer> wanted = new TreeSet<>();
    if (!ReadModelProjections.everyMemberShares(ctx.getSystem())) { // else: the shared readers
      if (!runtime
          .generations()
          .paused()
          .contains(model.projectionName(state.active()) + "/" + tag)) {
        wanted.add(state.active());
      }
      if (state.building() != null) {
        wanted.add(state.building());
      }
    }
    for (Integer gen : Set.copyOf(children.keySet())) {
      if (!wanted.contains(gen)) {
        ctx.getLog()
            .info(
                "stopping projection {} of {} (retired, paused or now read by a shared reader)",
                model.projectionName(gen),
                tag);
        ctx.stop(children.remove(gen));
      }
    }
    for (Integer gen : wanted) {
      if (!children.containsKey(gen)) {
        ActorRef<ProjectionBehavior.Command> child =
            ctx.spawn(
                ProjectionBehavior.create(
                    SharedReader.projection(
                        ctx.getSystem(),
                        runtime,
                        tag,
                        model.projectionName(gen) + SharedReader.ALONE_SUFFIX,
                        List.of(new SharedReader.Member(model.projectionName(gen), model, gen)))),
                "g" + gen + "-" + System.nanoTime());
        ctx.watch(child);
        children.put(gen, child);
      }
    }
  }
}
