package org.sensorcluster.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.sensorcluster.domain.InvalidInputException;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.SensorMetadata;

/** {@code PUT} and {@code DELETE /api/v1/sensors/{id}}: registering, updating and decommissioning sensors. */
final class RegistryRoutes extends AllDirectives {

  static final long MAX_METADATA_BYTES = 64 * 1024;
  private static final long BODY_READ_TIMEOUT_MILLIS = 30_000;

  private final SensorGateway gateway;
  private final Materializer materializer;
  private final Function<Throwable, HttpResponse> failures;

  RegistryRoutes(SensorGateway gateway, Materializer materializer, Function<Throwable, HttpResponse> failures) {
    this.gateway = gateway;
    this.materializer = materializer;
    this.failures = failures;
  }

  /** The body of a successful PUT or DELETE. */
  record Registration(String sensorId, SensorMetadata metadata, long sequenceNr) {}

  Route put(SensorId sensor) {
    return extractRequestEntity(entity -> {
      if (!entity.getContentType().mediaType().toString().equals("application/json")) {
        return complete(Problems.response(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
            "Content-Type " + entity.getContentType() + " is not supported here; send application/json"));
      }
      HttpEntity limited = entity.withSizeLimit(MAX_METADATA_BYTES);
      return completeWithFuture(limited.toStrict(BODY_READ_TIMEOUT_MILLIS, materializer)
          .thenCompose(strict -> store(sensor, strict.getData().toArray()))
          .exceptionally(failures));
    });
  }

  private CompletionStage<HttpResponse> store(SensorId sensor, byte[] body) {
    SensorMetadata metadata;
    try {
      metadata = MetadataJson.parse(body);
    } catch (MalformedJsonException e) {
      return done(Problems.response(StatusCodes.BAD_REQUEST, "malformed-json", e.getMessage()));
    } catch (InvalidInputException e) {
      return done(Problems.response(StatusCodes.UNPROCESSABLE_ENTITY, "invalid-metadata", e.getMessage()));
    }
    return gateway.updateMetadata(sensor, metadata).thenApply(outcome -> {
      if (outcome.refusal() == SensorGateway.Refusal.DECOMMISSIONED) {
        return Problems.response(StatusCodes.CONFLICT, "sensor-decommissioned",
            "sensor " + sensor.value() + " is decommissioned; its metadata can no longer change");
      }
      return Json.response(outcome.created() ? StatusCodes.CREATED : StatusCodes.OK,
          new Registration(sensor.value(), metadata, outcome.sequenceNr()));
    });
  }

  Route delete(SensorId sensor) {
    return completeWithFuture(gateway.decommission(sensor).thenApply(outcome -> {
      if (outcome.refusal() == SensorGateway.Refusal.NOT_REGISTERED) {
        return Problems.response(StatusCodes.NOT_FOUND, "unknown-sensor", "sensor " + sensor.value() + " is unknown");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("sensorId", sensor.value());
      body.put("decommissioned", true);
      body.put("alreadyDecommissioned", !outcome.changed());
      body.put("sequenceNr", outcome.sequenceNr());
      return Json.response(StatusCodes.OK, body);
    }).exceptionally(failures));
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
