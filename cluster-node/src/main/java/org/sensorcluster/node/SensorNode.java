package org.sensorcluster.node;

import com.typesafe.config.Config;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.apache.pekko.stream.Materializer;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.http.ApiRoutes;
import org.sensorcluster.http.HttpSettings;
import org.sensorcluster.http.QuerySettings;
import org.sensorcluster.http.QuotaSettings;
import org.sensorcluster.node.entity.SensorEntity;
import org.sensorcluster.node.entity.SensorEntitySettings;
import org.sensorcluster.projections.ReadModelDatabase;
import org.sensorcluster.projections.ReadModelRuntime;
import org.sensorcluster.projections.ReadModelSettings;
import org.sensorcluster.projections.ReadModels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: actor system, cluster membership, schema, sharded sensors, projections, HTTP
 * and Pekko Management. {@link #start} returns once the node is ready to serve.
 */
public final class SensorNode {

  private static final Logger log = LoggerFactory.getLogger(SensorNode.class);
  public static final String SYSTEM_NAME = "sensors";

  /**
   * Live streams: events the shared tail buffers (a power of two), events a client may lag before
   * it is dropped.
   */
  static final int LIVE_HUB_BUFFER = 256;

  static final int LIVE_CLIENT_BUFFER = 512;

  /** Sensors whose metadata the fleet stream's filters remember. */
  static final int LIVE_KNOWN_SENSORS = 50_000;

  static final String SEED_NODES = "seed-nodes";
  static final String KUBERNETES_API = "kubernetes-api";

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final StorageConfig.Storage storage;

  private SensorNode(
      ActorSystem<Void> system, ServerBinding binding, StorageConfig.Storage storage) {
    this.system = system;
    this.binding = binding;
    this.storage = storage;
  }

  /** Starts a node with {@code config} (already resolved by {@link StorageConfig}). */
  public static SensorNode start(Config config) {
    return start(config, ReadModels.ALL);
  }

  /** {@link #start(Config)} serving the read models {@code models} (tests add their own). */
  public static SensorNode start(Config config, ReadModels models) {
    StorageConfig.Storage storage = StorageConfig.storageOf(config);
    discoveryOf(config); // a typo fails here, before anything starts
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, config);
    try {
      return start(system, config, storage, models);
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  private static SensorNode start(
      ActorSystem<Void> system, Config config, StorageConfig.Storage storage, ReadModels models) {
    Config sensors = config.getConfig("sensors");
    String discovery = discoveryOf(config);
    AuthSettings auth = AuthSettings.fromConfig(sensors);
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(
        CoordinatedShutdown.PhaseBeforeServiceUnbind(),
        "mark-not-ready",
        () -> {
          NodeStatus.get(system).setReady(false);
          return CompletableFuture.completedFuture(Done.getInstance());
        });

    Executor blocking =
        system.dispatchers().lookup(DispatcherSelector.fromConfig("sensors-blocking-dispatcher"));
    ReadModelDatabase readModels =
        new ReadModelDatabase(
            storage.url(),
            storage.user(),
            storage.password(),
            sensors.getInt("db.read-model-max-connections"),
            blocking);
    shutdown.addTask(
        CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "close-read-model-pool",
        () -> {
          readModels.close();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    NodeSchema.create(system, storage, readModels, sensors.getDuration("db.startup-timeout"));

    NodeStatus.get(system).setDatabase(readModels);
    PostgresStatistics.maintain(system, readModels, sensors.getDuration("db.analyze-interval"));
    // Sharding before joining: the region waits for the cluster, and the readiness check finds it.
    SensorEntity.init(system, SensorEntitySettings.fromConfig(sensors), Clock.systemUTC());
    // Management first: cluster bootstrap's contact points are other nodes' management endpoints,
    // and /ready (false until the end of start) is what orchestrators poll meanwhile.
    try {
      PekkoManagement.get(system.classicSystem())
          .start()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start Pekko Management: " + rootMessage(e), e);
    }
    if (discovery.equals(KUBERNETES_API)) {
      log.info(
          "joining through cluster bootstrap (Kubernetes API discovery of pods labelled {})",
          config
              .getString("pekko.discovery.kubernetes-api.pod-label-selector")
              .replace(
                  "%s",
                  config.getString(
                      "pekko.management.cluster.bootstrap.contact-point-discovery.service-name")));
      ClusterBootstrap.get(system.classicSystem()).start();
    } else {
      ClusterJoin.join(
          system,
          ClusterJoin.parseSeeds(sensors.getString("cluster.seed-nodes"), SYSTEM_NAME),
          readModels);
    }
    PauseFence.start(system, pauseHaltAfter(config));
    ReadModelRuntime readSide;
    try {
      readSide =
          ReadModelRuntime.start(
              system, readModels, ReadModelSettings.fromConfig(sensors), Clock.systemUTC(), models);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the read-model tables: " + e.getMessage(), e);
    }

    HttpSettings httpSettings = HttpSettings.fromConfig(sensors);
    ShardedSensorGateway gateway =
        new ShardedSensorGateway(
            system,
            sensors.getDuration("entity.ask-timeout"),
            sensors.getInt("entity.circuit-breaker.max-failures"),
            sensors.getDuration("entity.circuit-breaker.reset-timeout"),
            httpSettings.retryAfter());
    ReadSide queries =
        new ReadSide(
            readSide,
            sensors.getDuration("http.query-timeout"),
            httpSettings.retryAfter(),
            QueryBulkhead.maxOf(
                sensors.getString("http.max-queries-in-flight"),
                sensors.getInt("db.read-model-max-connections")));
    QuotaSettings quotaSettings = QuotaSettings.fromConfig(sensors);
    ApiTokens tokens =
        ApiTokens.start(
            system,
            readModels,
            auth,
            quotaSettings.deviceDefaults(),
            Clock.systemUTC(),
            sensors.getInt("http.port"),
            System.out);
    JournalLiveEvents live = liveEvents(system, sensors, readModels, queries);
    ApiRoutes routes =
        new ApiRoutes(
            gateway,
            queries,
            queries,
            new ClusterStatus(system),
            new ReadingRules(
                Clock.systemUTC(),
                httpSettings.maxFutureSkew(),
                sensors.getDuration("readings.max-backfill")),
            httpSettings,
            querySettings(sensors, readModels),
            quotaSettings,
            Materializer.matFromSystem(system),
            tokens,
            tokens,
            live);

    NodeMetrics.start(
        system,
        queries,
        sensors.getDuration("metrics.poll-interval"),
        queries::deadLettersRecordedHere);
    SilenceWatcher.start(system, SilenceSettings.fromConfig(sensors), queries::silenceCandidates);

    ServerBinding binding;
    try {
      binding =
          Http.get(system)
              .newServerAt(sensors.getString("http.host"), sensors.getInt("http.port"))
              .bind(routes.routes())
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot bind HTTP on "
              + sensors.getString("http.host")
              + ":"
              + sensors.getInt("http.port")
              + ": "
              + rootMessage(e),
          e);
    }
    // Unbind first (requests are answered 503 + Connection: close from SIGTERM on, see
    // RequestContext),
    // keep answering open connections for the drain time, then let in-flight requests (and so
    // in-flight persists) finish, before sharding hands off.
    Duration drain = sensors.getDuration("http.drain-time");
    if (drain.compareTo(Duration.ofSeconds(4)) > 0) {
      throw new IllegalArgumentException("sensors.http.drain-time is at most 4s, got " + drain);
    }
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

    NodeStatus.get(system).setReady(true);
    return new SensorNode(system, binding, storage);
  }

  /** The live streams' shared tail of the journal; bounds: see {@link JournalLiveEvents}. */
  private static JournalLiveEvents liveEvents(
      ActorSystem<Void> system, Config sensors, ReadModelDatabase db, ReadSide queries) {
    try {
      return JournalLiveEvents.start(
          system,
          sensors.getInt("entity.tag-count"),
          JournalLiveEvents.tailStart(db),
          LIVE_HUB_BUFFER,
          LIVE_CLIENT_BUFFER,
          new SensorMetadataCache(LIVE_KNOWN_SENSORS, queries::latest));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read where the live streams' tail starts: " + e.getMessage(), e);
    }
  }

  /**
   * {@code sensors.http} query settings with the cursor secret: configured, or the cluster's own.
   */
  private static QuerySettings querySettings(Config sensors, ReadModelDatabase db) {
    QuerySettings q = QuerySettings.fromConfig(sensors);
    try {
      return q.withCursorSecret(ClusterSecrets.get(db, ClusterSecrets.CURSOR, q.cursorSecret()));
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(
          "cannot read the cluster's cursor secret: " + e.getMessage(), e);
    }
  }

  /** {@code sensors.cluster.discovery}: {@value #SEED_NODES} or {@value #KUBERNETES_API}. */
  static String discoveryOf(Config config) {
    String d = config.getString("sensors.cluster.discovery").trim();
    if (!d.equals(SEED_NODES) && !d.equals(KUBERNETES_API)) {
      throw new IllegalArgumentException(
          "SENSORS_DISCOVERY must be "
              + SEED_NODES
              + " or "
              + KUBERNETES_API
              + ", got '"
              + d
              + "'");
    }
    return d;
  }

  /**
   * {@code sensors.cluster.pause-halt-after}; auto = failure detection pause + the resolver's
   * stable-after.
   */
  static Duration pauseHaltAfter(Config config) {
    String v = config.getString("sensors.cluster.pause-halt-after");
    if (!v.equals("auto")) {
      return config.getDuration("sensors.cluster.pause-halt-after");
    }
    return config
        .getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause")
        .plus(config.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
  }

  static String rootMessage(Throwable t) {
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException
            || t.getCause() != null && t.getMessage() == null)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  public StorageConfig.Storage storage() {
    return storage;
  }

  /** Runs coordinated shutdown (as SIGTERM does) and waits for it. */
  public void stop() {
    try {
      CoordinatedShutdown.get(system)
          .runAll(CoordinatedShutdown.unknownReason())
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node did not stop cleanly: " + rootMessage(e), e);
    }
  }
}
