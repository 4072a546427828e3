package org.sensorcluster.http;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.Refusal;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorSummary;

/**
 * The write side as the HTTP layer sees it: the sensor entities. Implemented by the cluster node
 * over Cluster Sharding. Failed stages carry {@link ServiceUnavailableException} when the outcome
 * is unknown (timeout, journal failure, circuit breaker open): the caller must then say
 * "unconfirmed".
 */
public interface SensorGateway {

  /**
   * Stores the new ones among {@code readings} durably; completes only after the journal confirmed.
   * {@code requestId} is the HTTP request's correlation id (see {@link RequestIds}), or null.
   * {@code receivedAt} is the time readings sent without a timestamp were stamped with (null: none
   * was): a reading with that timestamp is compared with an earlier one of its readingId by value
   * only.
   */
  default CompletionStage<RecordOutcome> record(
      SensorId sensor, List<Reading> readings, String requestId, java.time.Instant receivedAt) {
    return record(sensor, readings, requestId, receivedAt, true);
  }

  /**
   * {@link #record(SensorId, List, String, java.time.Instant)}; with {@code mayCreate} false a
   * sensor that does not exist yet refuses ({@link Refusal#NEW_SENSOR_QUOTA}) instead of being
   * created.
   */
  CompletionStage<RecordOutcome> record(
      SensorId sensor,
      List<Reading> readings,
      String requestId,
      java.time.Instant receivedAt,
      boolean mayCreate);

  /**
   * {@link #record(SensorId, List, String, java.time.Instant, boolean)} as one write of a batch: it
   * may wait past the ask timeout while other writes of the same batch keep being confirmed ({@link
   * BatchProgress}), and confirms itself there when it succeeds.
   */
  default CompletionStage<RecordOutcome> record(
      SensorId sensor,
      List<Reading> readings,
      String requestId,
      java.time.Instant receivedAt,
      boolean mayCreate,
      BatchProgress progress) {
    return record(sensor, readings, requestId, receivedAt, mayCreate)
        .whenComplete(
            (outcome, failure) -> {
              if (failure == null) {
                progress.confirmed();
              }
            });
  }

  /** The entity's own, strongly consistent view of itself. */
  CompletionStage<SensorSummary> summary(SensorId sensor);

  /** Registers the sensor or replaces its metadata; completes after the change is durable. */
  CompletionStage<ChangeOutcome> updateMetadata(SensorId sensor, SensorMetadata metadata);

  /** Decommissions the sensor; completes after the change is durable. */
  CompletionStage<ChangeOutcome> decommission(SensorId sensor);

  /**
   * @param created true when the sensor was not registered before
   * @param changed false when nothing had to change (decommissioning twice)
   * @param sequenceNr the sensor's journal sequence number after the call
   * @param refusal null when carried out
   */
  record ChangeOutcome(boolean created, boolean changed, long sequenceNr, Refusal refusal) {}

  /**
   * @param accepted readings stored by this call
   * @param duplicates readings skipped because their readingId was already stored
   * @param sequenceNr the sensor's journal sequence number after this call
   * @param refusal null when the readings were considered, else why none was stored
   * @param conflicts positions (in {@code readings}) of readings not stored because their readingId
   *     was already stored with another value or timestamp (409 / rejected item); empty when none
   * @param created true when the sensor did not exist before this call
   */
  record RecordOutcome(
      int accepted,
      int duplicates,
      long sequenceNr,
      Refusal refusal,
      List<Integer> conflicts,
      boolean created) {
    public RecordOutcome {
      conflicts = conflicts == null ? List.of() : List.copyOf(conflicts);
    }

    public RecordOutcome(
        int accepted, int duplicates, long sequenceNr, Refusal refusal, List<Integer> conflicts) {
      this(accepted, duplicates, sequenceNr, refusal, conflicts, false);
    }

    public RecordOutcome(int accepted, int duplicates, long sequenceNr, Refusal refusal) {
      this(accepted, duplicates, sequenceNr, refusal, List.of());
    }

    public RecordOutcome(int accepted, int duplicates, long sequenceNr) {
      this(accepted, duplicates, sequenceNr, null, List.of());
    }
  }
}
