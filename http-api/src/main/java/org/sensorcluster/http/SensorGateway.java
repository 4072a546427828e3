package org.sensorcluster.http;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.SensorSummary;

/**
 * The write side as the HTTP layer sees it: the sensor entities. Implemented by the cluster node
 * over Cluster Sharding. Failed stages carry {@link ServiceUnavailableException} when the outcome is
 * unknown (timeout, journal failure, circuit breaker open): the caller must then say "unconfirmed".
 */
public interface SensorGateway {

  /** Stores the new ones among {@code readings} durably; completes only after the journal confirmed. */
  CompletionStage<RecordOutcome> record(SensorId sensor, List<Reading> readings);

  /** The entity's own, strongly consistent view of itself. */
  CompletionStage<SensorSummary> summary(SensorId sensor);

  /**
   * @param accepted readings stored by this call
   * @param duplicates readings skipped because their readingId was already stored
   * @param sequenceNr the sensor's journal sequence number after this call
   */
  record RecordOutcome(int accepted, int duplicates, long sequenceNr) {}
}
