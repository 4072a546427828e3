package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sensorcluster.node.SensorNode;
import org.sensorcluster.node.entity.SensorEntity;

/** Idle sensors are unloaded (passivated) and come back with their state on the next request. */
class PassivationTest {

  @TempDir Path dataDir;
  private SensorNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void idle_sensors_are_passivated_and_recover_their_state() throws Exception {
    // Each sensor is checked alive right after its own write (not all five after the last one: on a
    // loaded machine five writes can take longer than the idle timeout, and the first were
    // unloaded).
    node =
        TestNodes.start(
            ConfigFactory.parseString("sensors.entity.passivate-after = 3s")
                .withFallback(TestNodes.h2(dataDir)));
    ApiClient api = new ApiClient(node.httpPort());
    for (int i = 0; i < 5; i++) {
      assertEquals(
          202,
          api.postJson("/sensors/idle-" + i + "/readings", "{\"readingId\":\"r-1\",\"value\":1}")
              .status());
      assertTrue(
          liveEntities().contains("idle-" + i), "idle-" + i + " alive right after its write");
    }

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!liveEntities().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertEquals(Set.of(), liveEntities(), "idle sensors were passivated");

    ApiClient.Reply again =
        api.postJson("/sensors/idle-3/readings", "{\"readingId\":\"r-1\",\"value\":1}");
    assertEquals(
        1,
        again.body().get("duplicates").asInt(),
        "state (duplicate memory) recovered after passivation");
    assertTrue(liveEntities().contains("idle-3"), "idle-3 started again by the write");
  }

  private Set<String> liveEntities() throws Exception {
    ShardRegion.CurrentShardRegionState state =
        AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                ClusterSharding.get(node.system()).shardState(),
                replyTo -> new GetShardRegionState(SensorEntity.TYPE_KEY, replyTo),
                Duration.ofSeconds(5),
                node.system().scheduler())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return state.getShards().stream()
        .flatMap(s -> s.getEntityIds().stream())
        .collect(Collectors.toSet());
  }
}
