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
 * One read model's work for one tag, as a ShardedDaemonProcess instance: it runs the projection of
 * the model's active generation and, while a rebuild is going on, the projection of the generation
 * being built, each as a child {@link ProjectionBehavior}. Every poll it compares the children with
 * {@link Generations#current} and starts or stops projections to match.
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

  /**
   * The instance of {@code model} for {@code tag}; with {@code activeToo} false it runs only a
   * generation being rebuilt (the active one is fed by the {@link SharedReader}).
   */
  static Behavior<Command> create(
      ReadModel model, String tag, ReadModelRuntime runtime, boolean activeToo) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(
                      Tick.INSTANCE, runtime.settings().generationPoll());
                  Map<Integer, ActorRef<ProjectionBehavior.Command>> children = new HashMap<>();
                  reconcile(ctx, model, tag, runtime, activeToo, children);
                  return Behaviors.receive(Command.class)
                      .onMessageEquals(
                          Tick.INSTANCE,
                          () -> {
                            reconcile(ctx, model, tag, runtime, activeToo, children);
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
      boolean activeToo,
      Map<Integer, ActorRef<ProjectionBehavior.Command>> children) {
    Generations.State state = runtime.generations().current(model);
    if (state == null) {
      return; // not read yet
    }
    Set<Integer> wanted = new TreeSet<>();
    if (activeToo) {
      wanted.add(state.active());
    }
    if (state.building() != null
        && (activeToo || ReadModelProjections.everyMemberShares(ctx.getSystem()))) {
      wanted.add(state.building());
    }
    for (Integer gen : Set.copyOf(children.keySet())) {
      if (!wanted.contains(gen)) {
        ctx.getLog()
            .info(
                "stopping projection {} of {} (generation retired)",
                model.projectionName(gen),
                tag);
        ctx.stop(children.remove(gen));
      }
    }
    for (Integer gen : wanted) {
      if (!children.containsKey(gen)) {
        ActorRef<ProjectionBehavior.Command> child =
            ctx.spawn(
                ProjectionBehavior.create(projection(ctx, model, gen, tag, runtime, activeToo)),
                "g" + gen + "-" + System.nanoTime());
        ctx.watch(child);
        children.put(gen, child);
      }
    }
  }

  private static org.apache.pekko.projection.Projection<?> projection(
      ActorContext<Command> ctx,
      ReadModel model,
      int gen,
      String tag,
      ReadModelRuntime runtime,
      boolean alone) {
    if (alone) {
      return ReadModelProjections.alone(ctx.getSystem(), runtime, model, gen, tag);
    }
    return SharedReader.projection(
        ctx.getSystem(),
        runtime,
        tag,
        model.modelName() + "-rebuild",
        List.of(new SharedReader.Member(model.projectionName(gen), model, gen)));
  }
}
