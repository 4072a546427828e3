package org.sensorcluster.http;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.SensorMetadata;

/**
 * The live streams ({@code text/event-stream}) of one sensor, of the alerts and of the fleet, from
 * {@link LiveEvents}. A comment line every {@link #HEARTBEAT} keeps idle connections open; a client
 * resumes with {@code Last-Event-ID} (400 when it is no position of that stream).
 */
final class StreamRoutes extends AllDirectives {

  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final LiveEvents live;
  private final QueryRoutes queries;

  StreamRoutes(LiveEvents live, QueryRoutes queries) {
    this.live = live;
    this.queries = queries;
  }

  /**
   * {@code GET /api/v1/sensors/{id}/stream}: readings and alerts of one sensor; 404 when its
   * journal is empty.
   */
  Route sensor(SensorId sensor) {
    return params(
        Set.of(),
        p ->
            lastEventId(
                last ->
                    onSuccess(
                        queries.inJournal(sensor.value()),
                        known ->
                            known
                                ? stream(() -> live.sensor(sensor.value(), last), e -> true)
                                : complete(
                                    Problems.response(
                                        StatusCodes.NOT_FOUND,
                                        "unknown-sensor",
                                        "sensor " + sensor.value() + " is unknown")))));
  }

  /** {@code GET /api/v1/alerts/stream}: alerts raised and cleared, of every sensor. */
  Route alerts() {
    return params(
        Set.of(),
        p ->
            lastEventId(
                last -> stream(() -> live.fleet(last), e -> StreamEvents.isAlert(e.event()))));
  }

  /**
   * {@code GET /api/v1/stream?type=&label=}: readings and alerts of the sensors the filters select.
   */
  Route fleet() {
    return params(
        Set.of("type", "label"),
        p -> {
          String type = QueryParams.type(Optional.ofNullable(p.get("type")));
          QueryParams.Label label = QueryParams.label(Optional.ofNullable(p.get("label")));
          return lastEventId(
              last -> stream(() -> live.fleet(last), e -> matches(e.metadata(), type, label)));
        });
  }

  static boolean matches(SensorMetadata m, String type, QueryParams.Label label) {
    if (type == null && label == null) {
      return true;
    }
    if (m == null || (type != null && !type.equals(m.type()))) {
      return false;
    }
    if (label == null) {
      return true;
    }
    String value = m.labels().get(label.key());
    return value != null && (label.value() == null || label.value().equals(value));
  }

  private Route params(Set<String> allowed, Function<Map<String, String>, Route> inner) {
    return parameterMap(
        p -> {
          Set<String> unknown = new TreeSet<>(p.keySet());
          unknown.removeAll(allowed);
          try {
            if (!unknown.isEmpty()) {
              throw new BadParameterException(
                  "unknown parameter(s) "
                      + unknown
                      + "; this endpoint takes "
                      + (allowed.isEmpty() ? "no query parameters" : new TreeSet<>(allowed)));
            }
            return inner.apply(p);
          } catch (BadParameterException e) {
            return complete(
                Problems.response(StatusCodes.BAD_REQUEST, "invalid-parameter", e.getMessage()));
          }
        });
  }

  private Route lastEventId(Function<Optional<String>, Route> inner) {
    return optionalHeaderValueByName("Last-Event-ID", inner);
  }

  private Route stream(Supplier<Source<LiveEvent, NotUsed>> open, Predicate<LiveEvent> wanted) {
    Source<LiveEvent, NotUsed> events;
    try {
      events = open.get();
    } catch (IllegalArgumentException e) {
      return complete(
          Problems.response(
              StatusCodes.BAD_REQUEST,
              "invalid-last-event-id",
              "Last-Event-ID: " + e.getMessage()));
    }
    Source<ServerSentEvent, NotUsed> sse =
        events
            .filter(e -> e.event() == null || (StreamEvents.shown(e.event()) && wanted.test(e)))
            .map(StreamEvents::of)
            .keepAlive(HEARTBEAT, ServerSentEvent::heartbeat);
    return respondWithHeader(
        RawHeader.create("Cache-Control", "no-cache"),
        () -> completeOK(sse, EventStreamMarshalling.toEventStream()));
  }
}
