package org.sensorcluster.node;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.sensorcluster.domain.view.ProjectionStatus;
import org.sensorcluster.http.HttpMetrics;
import org.sensorcluster.http.ReadModelAdmin;
import org.sensorcluster.node.entity.EntityMetrics;
import org.sensorcluster.node.entity.SensorEntity;

/**
 * Node-level Prometheus metrics: cluster membership, sharding on this node, projection lag, JVM,
 * and the sensor entity's own histograms ({@link EntityMetrics}), registered here with the rest.
 * Sharding and projection figures are polled every {@code sensors.metrics.poll-interval} (they need
 * an ask or a query); membership is read at scrape time.
 */
public final class NodeMetrics {

  private static final AtomicReference<NodeMetrics> CURRENT = new AtomicReference<>();
  private static volatile boolean registered;

  private final ActorSystem<?> system;
  private volatile int shards;
  private volatile int entities;
  private volatile List<ProjectionStatus> projections = List.of();
  private final org.sensorcluster.projections.ReadModelRuntime runtime;

  private NodeMetrics(
      ActorSystem<?> system, org.sensorcluster.projections.ReadModelRuntime runtime) {
    this.system = system;
    this.runtime = runtime;
  }

  /**
   * Starts polling for this node; the gauges report the node started last in this JVM. {@code
   * runtime} (null: none) gives the poison events its projections recorded since it started and the
   * journal events they read.
   */
  public static NodeMetrics start(
      ActorSystem<?> system,
      ReadModelAdmin admin,
      Duration pollInterval,
      org.sensorcluster.projections.ReadModelRuntime runtime) {
    NodeMetrics m = new NodeMetrics(system, runtime);
    CURRENT.set(m);
    registerOnce();
    system
        .scheduler()
        .scheduleWithFixedDelay(
            Duration.ZERO, pollInterval, () -> m.poll(admin), system.executionContext());
    return m;
  }

  /** Poison events recorded by this node since it started, per read model (0 if none). */
  private Map<String, Long> deadLettersRecordedHere() {
    Map<String, Long> out = new java.util.TreeMap<>();
    if (runtime != null) {
      runtime.models().names().forEach(name -> out.put(name, 0L));
      out.putAll(runtime.deadLetters().recordedHere());
    }
    return out;
  }

  private void poll(ReadModelAdmin admin) {
    AskPattern
        .<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
            ShardRegion.CurrentShardRegionState>
            ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetShardRegionState(SensorEntity.TYPE_KEY, replyTo),
                Duration.ofSeconds(5),
                system.scheduler())
        .whenComplete(
            (state, failure) -> {
              if (state != null) {
                shards = state.getShards().size();
                int n = 0;
                for (ShardRegion.ShardState s : state.getShards()) {
                  n += s.getEntityIds().size();
                }
                entities = n;
              }
            });
    admin
        .projections()
        .whenComplete(
            (list, failure) -> {
              if (list != null) {
                projections = list;
              }
            });
  }

  private static synchronized void registerOnce() {
    if (registered) {
      return;
    }
    registered = true;
    HttpMetrics.REGISTRY.register(EntityMetrics.PERSIST_LATENCY);
    HttpMetrics.REGISTRY.register(EntityMetrics.RECOVERY_TIME);
    HttpMetrics.REGISTRY.register(EntityMetrics.EVENT_READINGS);
    JvmMetrics.builder().register(HttpMetrics.REGISTRY);
    io.prometheus.metrics.core.metrics.CounterWithCallback.builder()
        .name("sensors_projection_dead_letters")
        .help(
            "Poison events this node's projections skipped and recorded in projection_dead_letters,"
                + " per read model (docs/adr/0016-poison-events.md)")
        .labelNames("projection")
        .callback(
            cb -> {
              NodeMetrics m = CURRENT.get();
              if (m != null) {
                m.deadLettersRecordedHere().forEach((model, n) -> cb.call(n, model));
              }
            })
        .register(HttpMetrics.REGISTRY);
    io.prometheus.metrics.core.metrics.CounterWithCallback.builder()
        .name("sensors_projection_journal_events_read")
        .help(
            "Journal events this node's projections read and deserialized since it started: about"
                + " once per event with the shared reader, once per read model without (ADR 23)")
        .callback(
            cb -> {
              NodeMetrics m = CURRENT.get();
              cb.call(m == null || m.runtime == null ? 0 : m.runtime.journalEventsRead());
            })
        .register(HttpMetrics.REGISTRY);
    GaugeWithCallback.builder()
        .name("sensors_cluster_members")
        .help("Cluster members by status, as this node sees them")
        .labelNames("status")
        .callback(
            cb -> {
              NodeMetrics m = CURRENT.get();
              Map<String, Integer> byStatus = new HashMap<>();
              for (String s :
                  List.of("joining", "weaklyup", "up", "leaving", "exiting", "down", "removed")) {
                byStatus.put(s, 0);
              }
              if (m != null) {
                for (Member member : Cluster.get(m.system).state().getMembers()) {
                  byStatus.merge(member.status().toString().toLowerCase(), 1, Integer::sum);
                }
              }
              byStatus.forEach((status, count) -> cb.call(count, status));
            })
        .register(HttpMetrics.REGISTRY);
    GaugeWithCallback.builder()
        .name("sensors_cluster_unreachable_members")
        .help("Members this node's failure detector considers unreachable")
        .callback(
            cb -> {
              NodeMetrics m = CURRENT.get();
              cb.call(m == null ? 0 : Cluster.get(m.system).state().getUnreachable().size());
            })
        .register(HttpMetrics.REGISTRY);
    GaugeWithCallback.builder()
        .name("sensors_sharding_shards")
        .help("Sensor shards hosted by this node")
        .callback(cb -> cb.call(CURRENT.get() == null ? 0 : CURRENT.get().shards))
        .register(HttpMetrics.REGISTRY);
    GaugeWithCallback.builder()
        .name("sensors_sharding_entities")
        .help("Sensor entities active (in memory) on this node")
        .callback(cb -> cb.call(CURRENT.get() == null ? 0 : CURRENT.get().entities))
        .register(HttpMetrics.REGISTRY);
    GaugeWithCallback.builder()
        .name("sensors_projection_lag_events")
        .help("Journal events a projection instance has not applied yet")
        .labelNames("projection", "tag", "generation", "state")
        .callback(
            cb ->
                forEachProjection(
                    p ->
                        cb.call(
                            p.lagEvents(),
                            p.name(),
                            p.tag(),
                            Integer.toString(p.generation()),
                            p.state())))
        .register(HttpMetrics.REGISTRY);
    GaugeWithCallback.builder()
        .name("sensors_projection_lag_seconds")
        .help("Age of the oldest journal event a projection instance has not applied yet")
        .labelNames("projection", "tag", "generation", "state")
        .callback(
            cb ->
                forEachProjection(
                    p ->
                        cb.call(
                            p.lagMillis() / 1000.0,
                            p.name(),
                            p.tag(),
                            Integer.toString(p.generation()),
                            p.state())))
        .register(HttpMetrics.REGISTRY);
    GaugeWithCallback.builder()
        .name("sensors_projection_events_per_second")
        .help(
            "Events a projection instance applied per second recently (rebuild progress while rebuilding)")
        .labelNames("projection", "tag", "generation", "state")
        .callback(
            cb ->
                forEachProjection(
                    p ->
                        cb.call(
                            p.eventsPerSecond(),
                            p.name(),
                            p.tag(),
                            Integer.toString(p.generation()),
                            p.state())))
        .register(HttpMetrics.REGISTRY);
  }

  private static void forEachProjection(java.util.function.Consumer<ProjectionStatus> f) {
    NodeMetrics m = CURRENT.get();
    if (m != null) {
      m.projections.forEach(f);
    }
  }
}
