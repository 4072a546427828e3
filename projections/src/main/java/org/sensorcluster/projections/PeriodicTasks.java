package org.sensorcluster.projections;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side's periodic work on one node: each task runs at a fixed delay on the blocking
 * dispatcher until coordinated shutdown stops them all; a failed run is logged and the task runs
 * again at its next interval.
 */
final class PeriodicTasks {

  /** Logs under the runtime's name, as when the runtime scheduled the tasks itself. */
  private static final Logger log = LoggerFactory.getLogger(ReadModelRuntime.class);

  /** One run of a task; may fail with any exception (SQL, mostly). */
  interface Task {
    void run() throws Exception;
  }

  private final ActorSystem<?> system;

  private volatile boolean stopping;

  PeriodicTasks(ActorSystem<?> system) {
    this.system = system;
  }

  /** Runs {@code task} every {@code interval}; {@code what} names it in logs and shutdown tasks. */
  void every(Duration interval, String what, Task task) {
    org.apache.pekko.actor.Cancellable c =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                interval,
                interval,
                () -> {
                  if (stopping) {
                    return;
                  }
                  try {
                    task.run();
                  } catch (Exception e) {
                    log.warn("{} failed: {}", what, e.getMessage());
                  }
                },
                system
                    .dispatchers()
                    .lookup(
                        org.apache.pekko.actor.typed.DispatcherSelector.fromConfig(
                            "sensors-blocking-dispatcher")));
    org.apache.pekko.actor.CoordinatedShutdown.get(system)
        .addTask(
            org.apache.pekko.actor.CoordinatedShutdown.PhaseServiceStop(),
            "stop " + what,
            () -> {
              stopping = true;
              c.cancel();
              return java.util.concurrent.CompletableFuture.completedFuture(
                  org.apache.pekko.Done.getInstance());
            });
  }
}
