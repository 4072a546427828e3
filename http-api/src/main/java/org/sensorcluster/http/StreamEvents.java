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
    String json = e.encoded().get(() -> write(data(e)));
    return ServerSentEvent.create(
        json, Optional.of(typeOf(e.event())), Optional.ofNullable(e.id()), OptionalInt.empty());
  }

  /** The SSE event type of {@code event} (null: the stream's start). */
  private static String typeOf(SensorEvent event) {
    if (event instanceof ReadingsRecorded) {
      return "readings";
    }
    if (event instanceof AlertRaised || event instanceof SensorWentSilent) {
      return "alert-raised";
    }
    return event instanceof AlertCleared ? "alert-cleared" : "ready";
  }

  private static String write(Object data) {
    try {
      return Json.MAPPER.writeValueAsString(data);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** The body of {@code e}'s event. */
  private static Object data(LiveEvent e) {
    Object data;
    if (e.event() instanceof ReadingsRecorded r) {
      data = new Readings(e.sensorId(), r.recordedAt(), r.readings());
    } else if (e.event() instanceof AlertRaised a) {
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
      data = Map.of();
    }
    return data;
  }
}
