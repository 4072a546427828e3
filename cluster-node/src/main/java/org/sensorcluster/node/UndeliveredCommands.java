package org.sensorcluster.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.pekko.actor.AllDeadLetters;
import org.apache.pekko.actor.WrappedMessage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.sensorcluster.domain.Refusal;
import org.sensorcluster.node.entity.SensorCommand;

/**
 * Tells the sender at once when a sensor command was dropped undelivered on this node, instead of
 * letting its ask time out. A shard hand-off (a node draining in a rolling restart, a rebalance)
 * drops the messages the shard's old region buffered between the coordinator's begin-hand-off and
 * the hand-off, to avoid re-ordering; each one cost its HTTP request the whole ask timeout (5 s),
 * and with a few of them every load-balanced client stalled at once. Such a command was never
 * carried out, so it is answered {@link Refusal#UNDELIVERED} and the asking node sends it again
 * ({@link #resendWhileUndelivered}): by then its own region buffers it until the shard's new home
 * is known. Sending the same readings again is safe in any case (readingIds).
 */
final class UndeliveredCommands {

  /** Resends per command; a command dropped this often is answered 503 (send again later). */
  static final int MAX_RESENDS = 3;

  private UndeliveredCommands() {}

  /** Starts this node's listener for dropped sensor commands (dead letters). */
  static void start(ActorSystem<?> system) {
    var listener = system.systemActorOf(listener(), "undelivered-sensor-commands", Props.empty());
    system.eventStream().tell(new EventStream.Subscribe<>(AllDeadLetters.class, listener));
  }

  private static Behavior<AllDeadLetters> listener() {
    return Behaviors.receive(AllDeadLetters.class)
        .onMessage(
            AllDeadLetters.class,
            dead -> {
              answer(WrappedMessage.unwrap(dead));
              return Behaviors.same();
            })
        .build();
  }

  /** Answers {@code message} if it is a sensor command that expects an answer. */
  static void answer(Object message) {
    if (message instanceof SensorCommand.RecordReadings r) {
      r.replyTo().tell(new SensorCommand.Recorded(0, 0, -1, Refusal.UNDELIVERED));
    } else if (message instanceof SensorCommand.UpdateMetadata u) {
      u.replyTo().tell(new SensorCommand.Changed(false, false, -1, Refusal.UNDELIVERED));
    } else if (message instanceof SensorCommand.Decommission d) {
      d.replyTo().tell(new SensorCommand.Changed(false, false, -1, Refusal.UNDELIVERED));
    }
  }

  /**
   * Runs {@code ask} and runs it again (at most {@link #MAX_RESENDS} times) while its answer is
   * {@code undelivered}; after that the answer fails (the caller answers 503).
   */
  static <T> CompletableFuture<T> resendWhileUndelivered(
      Supplier<CompletionStage<T>> ask, Predicate<T> undelivered, Executor executor) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(ask, undelivered, executor, MAX_RESENDS, result);
    return result;
  }

  private static <T> void attempt(
      Supplier<CompletionStage<T>> ask,
      Predicate<T> undelivered,
      Executor executor,
      int resendsLeft,
      CompletableFuture<T> result) {
    ask.get()
        .whenCompleteAsync(
            (answer, failure) -> {
              if (failure != null) {
                result.completeExceptionally(failure);
              } else if (!undelivered.test(answer)) {
                result.complete(answer);
              } else if (resendsLeft > 0) {
                attempt(ask, undelivered, executor, resendsLeft - 1, result);
              } else {
                result.completeExceptionally(
                    new IllegalStateException(
                        "the command was dropped undelivered "
                            + (MAX_RESENDS + 1)
                            + " times (its shard is moving)"));
              }
            },
            executor);
  }
}
