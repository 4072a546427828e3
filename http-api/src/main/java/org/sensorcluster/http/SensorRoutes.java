package org.sensorcluster.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.sensorcluster.domain.InvalidInputException;
import org.sensorcluster.domain.Refusal;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorSummary;

/**
 * One sensor, {@code /api/v1/sensors/{id}}: {@code GET} from the read model ({@code
 * consistency=eventual}, the default, through {@link QueryRoutes#latest}) or from the sensor itself
 * ({@code consistency=strong}); {@code PUT} registers or updates its metadata, {@code DELETE}
 * decommissions it.
 */
final class SensorRoutes extends AllDirectives {

  static final long MAX_METADATA_BYTES = 64 * 1024;

  private final SensorGateway gateway;
  private final QueryRoutes queries;
  private final Materializer materializer;

  SensorRoutes(SensorGateway gateway, QueryRoutes queries, Materializer materializer) {
    this.gateway = gateway;
    this.queries = queries;
    this.materializer = materializer;
  }

  /** The body of a successful PUT or DELETE. */
  record Registration(String sensorId, SensorMetadata metadata, long sequenceNr) {}

  /** 400 for a malformed sensor id in the path, whatever the method and the rest of the path. */
  static Route validId(String raw, Function<SensorId, Route> inner) {
    String problem = SensorId.problemWith(raw);
    if (problem != null) {
      return Directives.complete(
          Problems.response(StatusCodes.BAD_REQUEST, "invalid-sensor-id", problem));
    }
    return inner.apply(SensorId.of(raw));
  }

  // ---- GET /api/v1/sensors/{id} -------------------------------------------------------------

  Route read(SensorId sensor) {
    return parameterOptional(
        "consistency",
        consistency -> {
          String mode = consistency.orElse("eventual");
          Function<Optional<SensorSummary>, HttpResponse> render =
              s ->
                  s.map(summary -> Json.response(StatusCodes.OK, SensorView.of(summary, mode)))
                      .orElseGet(
                          () ->
                              Problems.response(
                                  StatusCodes.NOT_FOUND,
                                  "unknown-sensor",
                                  "sensor "
                                      + sensor.value()
                                      + " is unknown (never registered and no readings)"));
          return switch (mode) {
            case "eventual" -> queries.latest(sensor.value(), render);
            // a sensor with no event in the journal is unknown: answered without starting its
            // entity
            case "strong" ->
                completeWithFuture(
                    queries
                        .inJournal(sensor.value())
                        .thenCompose(
                            known ->
                                !known
                                    ? CompletableFuture.completedFuture(
                                        Optional.<SensorSummary>empty())
                                    : gateway
                                        .summary(sensor)
                                        .thenApply(
                                            s ->
                                                s.readingCount() == 0
                                                        && s.metadata() == null
                                                        && s.decommissionedAt() == null
                                                    ? Optional.<SensorSummary>empty()
                                                    : Optional.of(s)))
                        .thenApply(render));
            default ->
                complete(
                    Problems.response(
                        StatusCodes.BAD_REQUEST,
                        "invalid-parameter",
                        "consistency must be 'eventual' or 'strong'"));
          };
        });
  }

  // ---- PUT /api/v1/sensors/{id} -------------------------------------------------------------

  Route put(SensorId sensor) {
    return extractRequestEntity(
        entity -> {
          if (!Bodies.isJson(entity)) {
            return complete(Bodies.unsupportedType(entity, "application/json"));
          }
          return completeWithFuture(
              Bodies.read(entity, MAX_METADATA_BYTES, materializer)
                  .thenCompose(body -> store(sensor, body)));
        });
  }

  private CompletionStage<HttpResponse> store(SensorId sensor, byte[] body) {
    SensorMetadata metadata;
    try {
      metadata = MetadataJson.parse(body);
    } catch (MalformedJsonException e) {
      return done(Problems.response(StatusCodes.BAD_REQUEST, "malformed-json", e.getMessage()));
    } catch (InvalidInputException e) {
      return done(
          Problems.response(StatusCodes.UNPROCESSABLE_CONTENT, "invalid-metadata", e.getMessage()));
    }
    return gateway
        .updateMetadata(sensor, metadata)
        .thenApply(
            outcome -> {
              if (outcome.refusal() == Refusal.DECOMMISSIONED) {
                return Problems.response(
                    StatusCodes.CONFLICT,
                    "sensor-decommissioned",
                    "sensor "
                        + sensor.value()
                        + " is decommissioned; its metadata can no longer change");
              }
              return Json.response(
                  outcome.created() ? StatusCodes.CREATED : StatusCodes.OK,
                  new Registration(sensor.value(), metadata, outcome.sequenceNr()));
            });
  }

  // ---- DELETE /api/v1/sensors/{id} ----------------------------------------------------------

  Route delete(SensorId sensor) {
    return completeWithFuture(
        gateway
            .decommission(sensor)
            .thenApply(
                outcome -> {
                  if (outcome.refusal() == Refusal.NOT_REGISTERED) {
                    return Problems.response(
                        StatusCodes.NOT_FOUND,
                        "unknown-sensor",
                        "sensor " + sensor.value() + " is unknown");
                  }
                  Map<String, Object> body = new LinkedHashMap<>();
                  body.put("sensorId", sensor.value());
                  body.put("decommissioned", true);
                  body.put("alreadyDecommissioned", !outcome.changed());
                  body.put("sequenceNr", outcome.sequenceNr());
                  return Json.response(StatusCodes.OK, body);
                }));
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
