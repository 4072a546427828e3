package org.sensorcluster.node.entity;

import java.util.function.LongSupplier;
import org.sensorcluster.domain.event.SensorWentSilent;
import org.sensorcluster.http.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a sensor entity logs, all at DEBUG (one line per command would flood the log under load),
 * with the request id in the MDC where a request caused it. Logged as {@link SensorEntity}.
 */
final class EntityLog {

  private static final Logger log = LoggerFactory.getLogger(SensorEntity.class);

  private final String sensorId;

  EntityLog(String sensorId) {
    this.sensorId = sensorId;
  }

  /** Readings refused as a whole: {@code why} the sensor takes none. */
  void refused(String requestId, int readings, String why) {
    if (log.isDebugEnabled()) {
      RequestIds.withMdc(
          requestId,
          () -> log.debug("sensor {}: refused {} reading(s), {}", sensorId, readings, why));
    }
  }

  void nothingNew(String requestId, int duplicates, int conflicts) {
    if (log.isDebugEnabled()) {
      RequestIds.withMdc(
          requestId,
          () ->
              log.debug(
                  "sensor {}: nothing new: {} duplicate(s), {} conflict(s)",
                  sensorId,
                  duplicates,
                  conflicts));
    }
  }

  /**
   * Readings the journal confirmed; {@code seqNr} is asked for only when the line is logged (it is
   * the entity's, read on its thread).
   */
  void stored(String requestId, int accepted, LongSupplier seqNr, int duplicates, long micros) {
    if (log.isDebugEnabled()) {
      long seq = seqNr.getAsLong();
      RequestIds.withMdc(
          requestId,
          () ->
              log.debug(
                  "sensor {}: stored {} reading(s) as event {} ({} duplicate(s)) in {} us",
                  sensorId,
                  accepted,
                  seq,
                  duplicates,
                  micros));
    }
  }

  void silent(SensorWentSilent silence) {
    log.debug(
        "sensor {}: silent, nothing stored since {} (expected every {})",
        sensorId,
        silence.lastRecordedAt(),
        silence.expectedInterval());
  }
}
