package org.sensorcluster.node;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

/** The node's HTTP server: bound at start, unbound and drained by coordinated shutdown. */
final class HttpEndpoint {

  private HttpEndpoint() {}

  /** Binds {@code routes} (failing the start when it cannot) and registers the shutdown steps. */
  static ServerBinding bind(ActorSystem<?> system, ServerSettings settings, Route routes) {
    ServerBinding binding;
    try {
      binding =
          Http.get(system)
              .newServerAt(settings.host(), settings.port())
              .bind(routes)
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot bind HTTP on "
              + settings.host()
              + ":"
              + settings.port()
              + ": "
              + SensorNode.rootMessage(e),
          e);
    }
    // Unbind first (requests are answered 503 + Connection: close from SIGTERM on, see
    // RequestContext),
    // keep answering open connections for the drain time, then let in-flight requests (and so
    // in-flight persists) finish, before sharding hands off.
    Duration drain = settings.drainTime();
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceUnbind(),
        "http-unbind-and-drain",
        () ->
            binding
                .unbind()
                .thenCompose(
                    done ->
                        org.apache.pekko.pattern.Patterns.after(
                            drain,
                            system.classicSystem().scheduler(),
                            system.executionContext(),
                            () -> CompletableFuture.completedFuture(Done.getInstance()))));
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(),
        "http-terminate",
        () ->
            binding.terminate(Duration.ofSeconds(10)).thenApply(terminated -> Done.getInstance()));
    return binding;
  }
}
