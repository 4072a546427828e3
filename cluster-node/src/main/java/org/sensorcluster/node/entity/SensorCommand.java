package org.sensorcluster.node.entity;

import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.Refusal;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.node.CborSerializable;

/** What a sensor entity is asked to do. Commands cross the network between nodes. */
public sealed interface SensorCommand extends CborSerializable
    permits SensorCommand.RecordReadings,
        SensorCommand.GetSummary,
        SensorCommand.UpdateMetadata,
        SensorCommand.Decommission,
        SensorCommand.CheckSilence {

  /**
   * Store the new ones among {@code readings} (one journal write), then reply once. {@code
   * requestId} (nullable) is the HTTP request's correlation id: it goes into the entity's log lines
   * and the event. {@code receivedAt} (nullable) is the time the node stamped readings sent without
   * a timestamp with: such a reading is compared with a stored one of the same readingId by value
   * only. {@code mayCreate} false: refuse ({@link Refusal#NEW_SENSOR_QUOTA}) if this sensor does
   * not exist yet (the sender's quota of new sensors is used up).
   */
  record RecordReadings(
      List<Reading> readings,
      String requestId,
      ActorRef<Recorded> replyTo,
      Instant receivedAt,
      boolean mayCreate)
      implements SensorCommand {
    public RecordReadings(
        List<Reading> readings, String requestId, ActorRef<Recorded> replyTo, Instant receivedAt) {
      this(readings, requestId, replyTo, receivedAt, true);
    }

    public RecordReadings(List<Reading> readings, ActorRef<Recorded> replyTo) {
      this(readings, null, replyTo, null);
    }

    public RecordReadings(List<Reading> readings, String requestId, ActorRef<Recorded> replyTo) {
      this(readings, requestId, replyTo, null);
    }
  }

  /** Reply with the entity's own view of itself (strong consistency). */
  record GetSummary(ActorRef<SensorSummary> replyTo) implements SensorCommand {}

  /**
   * Register the sensor or replace its metadata; thresholds are re-evaluated against the last
   * reading.
   */
  record UpdateMetadata(SensorMetadata metadata, ActorRef<Changed> replyTo)
      implements SensorCommand {}

  /** Take the sensor out of service for good: later readings and metadata updates are refused. */
  record Decommission(ActorRef<Changed> replyTo) implements SensorCommand {}

  /**
   * Decide whether the sensor has gone silent by now (its clock) and write it down once ({@code
   * SensorWentSilent}); sent by the {@code SilenceWatcher}, no reply: doing nothing is the usual
   * outcome and sending it twice is harmless.
   */
  record CheckSilence() implements SensorCommand {}

  /**
   * Reply to {@link RecordReadings}, sent only after the accepted readings are durable.
   *
   * @param accepted readings stored by this command
   * @param duplicates readings skipped because their readingId was already stored
   * @param sequenceNr the sensor's journal sequence number after this command
   * @param refusal null when the command was carried out, else why nothing was stored
   * @param conflicts positions (in the command's readings) of readings not stored because their
   *     readingId was already stored with another value or timestamp; empty when none
   * @param created true when this command's readings were the first the sensor ever had (it was
   *     new)
   */
  record Recorded(
      int accepted,
      int duplicates,
      long sequenceNr,
      Refusal refusal,
      List<Integer> conflicts,
      boolean created)
      implements CborSerializable {
    public Recorded {
      conflicts = conflicts == null ? List.of() : List.copyOf(conflicts);
    }

    public Recorded(
        int accepted, int duplicates, long sequenceNr, Refusal refusal, List<Integer> conflicts) {
      this(accepted, duplicates, sequenceNr, refusal, conflicts, false);
    }

    public Recorded(int accepted, int duplicates, long sequenceNr) {
      this(accepted, duplicates, sequenceNr, null, List.of());
    }

    public Recorded(int accepted, int duplicates, long sequenceNr, Refusal refusal) {
      this(accepted, duplicates, sequenceNr, refusal, List.of());
    }
  }

  /**
   * Reply to {@link UpdateMetadata} and {@link Decommission}, sent after the change is durable.
   *
   * @param created true when the sensor was not registered before this update
   * @param changed false when nothing had to be written (decommissioning twice)
   * @param sequenceNr the sensor's journal sequence number after the command
   * @param refusal null when carried out, else why not
   */
  record Changed(boolean created, boolean changed, long sequenceNr, Refusal refusal)
      implements CborSerializable {}
}
