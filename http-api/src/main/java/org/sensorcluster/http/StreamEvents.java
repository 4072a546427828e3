package org.sensorcluster.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.AlertRaised;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorWentSilent;

/**
 * A {@link LiveEvent} as a Server-Sent Event: {@code id} its position, {@code event} its type
 * ({@code ready}, {@code readings}, {@code alert-raised}, {@code alert-cleared}), {@code data} its
 * JSON.
 */
final class StreamEvents {

  /**
   * {@code data} of a {@code readings} event: readings one request stored, in the shape of the
   * readings query.
   */
  record Readings(String sensorId, Instant recordedAt, List<Reading> readings) {}

  /** {@code data} of an {@code alert-cleared} event. */
  record Cleared(
      String sensorId,
      long alertNumber,
      String state,
      String bound,
      Instant clearedAt,
      double clearedValue,
      Instant clearedReadingAt,
      Thresholds thresholds) {}

  private StreamEvents() {}

  /**
   * Whether a journal event is shown on the streams at all (readings and alerts are; metadata is
   * not).
   */
  static boolean shown(SensorEvent event) {
    return event instanceof ReadingsRecorded || isAlert(event);
  }

  static boolean isAlert(SensorEvent event) {
    return event instanceof AlertRaised
        || event instanceof AlertCleared
        || event instanceof SensorWentSilent;
  }

  static ServerSentEvent of(LiveEvent e) {
    String type;
    Object data;
    if (e.event() instanceof ReadingsRecorded r) {
      type = "readings";
      data = new Readings(e.sensorId(), r.recordedAt(), r.readings());
    } else if (e.event() instanceof AlertRaised a) {
      type = "alert-raised";
      data =
          new QueryBodies.Alert(
              e.sensorId(),
              a.alertNumber(),
              "open",
              a.bound().name(),
              a.raisedAt(),
              a.reading().value(),
              a.reading().timestamp(),
              a.thresholds(),
              null,
              null);
    } else if (e.event() instanceof SensorWentSilent w) {
      type = "alert-raised";
      data =
          new QueryBodies.Alert(
              e.sensorId(),
              w.alertNumber(),
              "open",
              AlertBound.SILENT.name(),
              w.decidedAt(),
              w.lastReading().value(),
              w.lastReading().timestamp(),
              null,
              null,
              null);
    } else if (e.event() instanceof AlertCleared c) {
      type = "alert-cleared";
      data =
          new Cleared(
              e.sensorId(),
              c.alertNumber(),
              "closed",
              c.bound().name(),
              c.clearedAt(),
              c.reading().value(),
              c.reading().timestamp(),
              c.thresholds());
    } else {
      type = "ready";
      data = Map.of();
    }
    try {
      return ServerSentEvent.create(
          Json.MAPPER.writeValueAsString(data),
          Optional.of(type),
          Optional.ofNullable(e.id()),
          OptionalInt.empty());
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
