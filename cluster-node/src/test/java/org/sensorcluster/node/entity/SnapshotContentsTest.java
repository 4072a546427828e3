package org.sensorcluster.node.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorState;
import org.sensorcluster.domain.event.ReadingsRecorded;

/**
 * Snapshots keep the content fingerprints of remembered reading ids, so a readingId reused for
 * another reading is still told from a resend after the entity recovered from a snapshot. The
 * format without them is pinned by {@link SerializationTest}.
 */
class SnapshotContentsTest {

  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("SnapshotContentsTest", SensorEntityTest.config());
    serialization = SerializationExtension.get(testKit.system());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @Test
  void contentsRoundTripAndOlderReadersIgnoreThem() {
    Instant t = Instant.parse("2026-11-22T10:00:00Z");
    SensorState state =
        SensorState.EMPTY.apply(new ReadingsRecorded(List.of(new Reading("r-1", t, 1.0)), t), 256);
    byte[] bytes = serialization.serialize(state).get();
    String json = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(
        json.contains("\"recentIds\":{\"fingerprints\":[") && json.contains("\"contents\":["),
        json);
    int id = serialization.findSerializerFor(state).identifier();
    SensorState back =
        (SensorState) serialization.deserialize(bytes, id, SensorState.class.getName()).get();
    assertEquals(state, back);
    assertEquals(List.of(0), back.decide(List.of(new Reading("r-1", t, 2.0))).conflicts());
    assertEquals(1, back.decide(List.of(new Reading("r-1", t, 1.0))).duplicates());
  }
}
