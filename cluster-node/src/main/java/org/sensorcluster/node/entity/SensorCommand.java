package org.sensorcluster.node.entity;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.node.CborSerializable;

/** What a sensor entity is asked to do. Commands cross the network between nodes. */
public sealed interface SensorCommand extends CborSerializable
    permits SensorCommand.RecordReadings, SensorCommand.GetSummary {

  /** Store the new ones among {@code readings} (one journal write), then reply once. */
  record RecordReadings(List<Reading> readings, ActorRef<Recorded> replyTo) implements SensorCommand {}

  /** Reply with the entity's own view of itself (strong consistency). */
  record GetSummary(ActorRef<SensorSummary> replyTo) implements SensorCommand {}

  /**
   * Reply to {@link RecordReadings}, sent only after the accepted readings are durable.
   *
   * @param accepted readings stored by this command
   * @param duplicates readings skipped because their readingId was already stored
   * @param sequenceNr the sensor's journal sequence number after this command
   */
  record Recorded(int accepted, int duplicates, long sequenceNr) implements CborSerializable {}
}
