package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.Dropped;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.Refusal;
import org.sensorcluster.node.entity.SensorCommand;

class UndeliveredCommandsTest {

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit =
        ActorTestKit.create(
            "UndeliveredCommandsTest",
            ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
    UndeliveredCommands.start(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aWriteDroppedAtAShardHandOffIsAnsweredUndelivered() {
    TestProbe<SensorCommand.Recorded> probe = testKit.createTestProbe();
    var command = new SensorCommand.RecordReadings(List.of(), probe.getRef());
    // what ShardRegion does with the messages it buffered for a shard when the hand-off comes
    Adapter.toClassic(testKit.system())
        .deadLetters()
        .tell(
            new Dropped(
                new ShardingEnvelope<>("s-1", command),
                "Avoiding reordering of buffered messages at shard handoff",
                org.apache.pekko.actor.ActorRef.noSender(),
                org.apache.pekko.actor.ActorRef.noSender()),
            org.apache.pekko.actor.ActorRef.noSender());
    SensorCommand.Recorded answer = probe.receiveMessage();
    assertEquals(Refusal.UNDELIVERED, answer.refusal());
    assertEquals(0, answer.accepted());
  }

  @Test
  void aCommandToAStoppedEntityIsAnsweredUndelivered() {
    TestProbe<SensorCommand.Changed> probe = testKit.createTestProbe();
    TestProbe<SensorCommand> stopped = testKit.createTestProbe();
    stopped.stop();
    probe.expectTerminated(stopped.getRef()); // stop() is asynchronous: told earlier, it would
    stopped.getRef().tell(new SensorCommand.Decommission(probe.getRef())); // still be delivered
    assertEquals(Refusal.UNDELIVERED, probe.receiveMessage().refusal());
  }

  @Test
  void anUndeliveredAnswerIsAskedAgainAndTheNextAnswerCounts() throws Exception {
    AtomicInteger asks = new AtomicInteger();
    CompletableFuture<String> answer =
        UndeliveredCommands.resendWhileUndelivered(
            () -> CompletableFuture.completedFuture(asks.incrementAndGet() < 3 ? "dropped" : "ok"),
            "dropped"::equals,
            Runnable::run);
    assertEquals("ok", answer.get(5, TimeUnit.SECONDS));
    assertEquals(3, asks.get());
  }

  @Test
  void aCommandDroppedAgainAndAgainFailsAfterTheLastResend() {
    AtomicInteger asks = new AtomicInteger();
    CompletableFuture<String> answer =
        UndeliveredCommands.resendWhileUndelivered(
            () -> {
              asks.incrementAndGet();
              return CompletableFuture.completedFuture("dropped");
            },
            "dropped"::equals,
            Runnable::run);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> answer.get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("undelivered"), e.getCause().getMessage());
    assertEquals(UndeliveredCommands.MAX_RESENDS + 1, asks.get());
  }
}
