package org.sensorcluster.systemtest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What an orchestrator would do for a {@link NodeCluster}: a node that exits by itself (downed by
 * the split-brain resolver, gave up joining) is started again after {@link #RESTART_DELAY}, with
 * the same environment, unless the harness stopped it on purpose. Exits and restarts go to the
 * cluster's timeline.
 */
final class Orchestrator {

  static final Duration RESTART_DELAY = Duration.ofSeconds(2);

  private final List<NodeProcess> nodes;
  private final Consumer<String> event;
  private volatile boolean orchestrating;
  private Thread orchestrator;

  Orchestrator(List<NodeProcess> nodes, Consumer<String> event) {
    this.nodes = nodes;
    this.event = event;
  }

  /** Restarts nodes that exited by themselves; see the class comment. */
  void start() {
    orchestrating = true;
    orchestrator =
        new Thread(
            () -> {
              Map<Integer, Long> exitedAt = new LinkedHashMap<>();
              while (orchestrating) {
                for (NodeProcess n : nodes) {
                  if (n.isRunning() || n.held() || n.starts() == 0) {
                    exitedAt.remove(n.index);
                    continue;
                  }
                  Long at = exitedAt.get(n.index);
                  if (at == null) {
                    exitedAt.put(n.index, System.nanoTime());
                    event.accept(n.name() + " exited by itself with code " + n.exitCode());
                  } else if (System.nanoTime() - at > RESTART_DELAY.toNanos()) {
                    exitedAt.remove(n.index);
                    event.accept("orchestrator restarts " + n.name());
                    try {
                      n.start();
                    } catch (RuntimeException e) {
                      event.accept(
                          "orchestrator could not restart " + n.name() + ": " + e.getMessage());
                    }
                  }
                }
                NetworkNamespaces.sleep(250);
              }
            },
            "orchestrator");
    orchestrator.setDaemon(true);
    orchestrator.start();
  }

  void stop() {
    orchestrating = false;
    if (orchestrator != null) {
      try {
        orchestrator.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
