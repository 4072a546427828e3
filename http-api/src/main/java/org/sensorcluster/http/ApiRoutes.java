package org.sensorcluster.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.util.ByteString;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.Reading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every route of {@code /api/v1}, with problem+json for every error. */
public final class ApiRoutes extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
  private static final int MAX_NDJSON_LINE_BYTES = 64 * 1024;
  private static final long BODY_READ_TIMEOUT_MILLIS = 30_000;
  /** withSizeLimit bounds bodies (413); toStrict's own bound (max-to-strict-bytes, 8m) failed with a 500. */
  private static final long UNBOUNDED_TO_STRICT = Long.MAX_VALUE;

  private final SensorGateway gateway;
  private final SensorQueries queries;
  private final ReadingRules rules;
  private final HttpSettings settings;
  private final Materializer materializer;
  private final BatchIngest batchIngest;
  private final RegistryRoutes registry;
  private final QueryRoutes queryRoutes;
  private final ProjectionAdminRoutes adminRoutes;
  private final AtomicInteger ingestInFlight = new AtomicInteger();
  private final WritePermits writePermits;
  private final MetricsRoute metrics = new MetricsRoute();

  private final ClusterAdmin clusterAdmin;

  public ApiRoutes(SensorGateway gateway, SensorQueries queries, ReadModelAdmin admin, ClusterAdmin clusterAdmin,
                   ReadingRules rules, HttpSettings settings, QuerySettings querySettings, Materializer materializer) {
    this.clusterAdmin = clusterAdmin;
    this.gateway = gateway;
    this.queries = queries;
    this.rules = rules;
    this.settings = settings;
    this.materializer = materializer;
    this.writePermits = new WritePermits(settings.maxWritesInFlight());
    this.batchIngest = new BatchIngest(gateway, rules, settings, writePermits);
    this.registry = new RegistryRoutes(gateway, materializer, this::failureResponse);
    this.queryRoutes = new QueryRoutes(queries, querySettings, rules, this::failureResponse);
    this.adminRoutes = new ProjectionAdminRoutes(admin, this::failureResponse);
  }

  public Route routes() {
    return instrumented(() -> handleExceptions(exceptionHandler(), () -> handleRejections(rejectionHandler(), () ->
        concat(metrics.route(), pathPrefix("api", () -> pathPrefix("v1", () -> concat(
            pathPrefix("sensors", () -> concat(
                pathEnd(() -> get(queryRoutes::listSensors)),
                pathPrefix(PathMatchers.segment(), sensorId -> validSensorId(sensorId, sensor -> concat(
                    path("readings", () -> concat(
                        post(() -> ingestSingle(sensorId)),
                        get(() -> queryRoutes.readings(sensorId)))),
                    pathEnd(() -> concat(
                        get(() -> getSensor(sensorId)),
                        put(() -> registry.put(sensor)),
                        delete(() -> registry.delete(sensor))))))))),
            path("readings", () -> post(this::ingestBatch)),
            path("alerts", () -> get(queryRoutes::listAlerts)),
            path("stats", () -> get(queryRoutes::stats)),
            path(PathMatchers.segment("admin").slash("cluster"), () -> get(() -> completeWithFuture(
                clusterAdmin.status().thenApply(v -> Json.response(StatusCodes.OK, v))
                    .exceptionally(this::failureResponse)))),
            pathPrefix("admin", () -> pathPrefix("projections", () -> concat(
                pathEnd(() -> get(adminRoutes::status)),
                path(PathMatchers.segment().slash("rebuild"), name -> post(() -> adminRoutes.rebuild(name))),
                path(PathMatchers.segment().slash("pause"), name -> post(() -> adminRoutes.setPaused(name, true))),
                path(PathMatchers.segment().slash("resume"),
                    name -> post(() -> adminRoutes.setPaused(name, false)))))))))))));
  }

  /**
   * Gives every request its correlation id (request attribute, {@code X-Request-Id} on the response),
   * counts every response (after error mapping) by route template, method and status, and times it.
   * 5xx responses other than 503 are logged at WARN, every response at DEBUG (logger
   * {@code ...http.ApiRoutes}); 503s come in floods under overload and are counted instead.
   */
  private Route instrumented(Supplier<Route> inner) {
    return extractRequest(request -> {
      long started = System.nanoTime();
      String route = HttpMetrics.routeOf(request);
      String method = request.method().name();
      String requestId = RequestIds.of(request.getHeader(RequestIds.HEADER).map(h -> h.value()));
      return mapRequest(r -> r.addAttribute(RequestIds.ATTRIBUTE, requestId), () -> mapResponse(response -> {
        int status = response.status().intValue();
        double seconds = (System.nanoTime() - started) / 1e9;
        HttpMetrics.REQUESTS.labelValues(route, method, Integer.toString(status)).inc();
        HttpMetrics.LATENCY.labelValues(route).observe(seconds);
        if (status >= 500 && status != 503) { // 503s are expected under overload: counted, not logged
          RequestIds.withMdc(requestId, () -> log.warn("{} {} answered {} in {} ms", method, route, status,
              Math.round(seconds * 1000)));
        } else if (log.isDebugEnabled()) {
          RequestIds.withMdc(requestId, () -> log.debug("{} {} answered {} in {} ms", method, route, status,
              Math.round(seconds * 1000)));
        }
        return response.addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create(
            RequestIds.HEADER, requestId));
      }, inner));
    });
  }

  private static String requestId(org.apache.pekko.http.javadsl.model.HttpRequest request) {
    return request.getAttribute(RequestIds.ATTRIBUTE).orElse(null);
  }

  /** 400 for a malformed sensor id in the path, whatever the method. */
  private Route validSensorId(String raw, java.util.function.Function<SensorId, Route> inner) {
    String problem = SensorId.problemWith(raw);
    if (problem != null) {
      return complete(Problems.response(StatusCodes.BAD_REQUEST, "invalid-sensor-id", problem));
    }
    return inner.apply(SensorId.of(raw));
  }

  // ---- POST /api/v1/sensors/{id}/readings -------------------------------------------------

  private Route ingestSingle(String rawSensorId) {
    return extractRequest(request -> {
      HttpEntity entity = request.entity();
      String requestId = requestId(request);
      String problem = SensorId.problemWith(rawSensorId);
      if (problem != null) {
        return complete(Problems.response(StatusCodes.BAD_REQUEST, "invalid-sensor-id", problem));
      }
      if (!isJson(entity)) {
        return complete(unsupportedType(entity, "application/json"));
      }
      SensorId sensor = SensorId.of(rawSensorId);
      return completeWithFuture(limited(() -> entity.withSizeLimit(settings.singleMaxBytes())
          .toStrict(BODY_READ_TIMEOUT_MILLIS, UNBOUNDED_TO_STRICT, materializer)
          .thenCompose(strict -> storeSingle(sensor, strict.getData().toArray(), requestId))));
    });
  }

  private CompletionStage<HttpResponse> storeSingle(SensorId sensor, byte[] body, String requestId) {
    List<RawItem> raw;
    try {
      raw = ReadingJson.parseDocument(body, settings.batchMaxItems());
    } catch (MalformedJsonException e) {
      return done(Problems.response(StatusCodes.BAD_REQUEST, "malformed-json", e.getMessage()));
    }
    List<ItemError> typeErrors = new ArrayList<>();
    for (RawItem item : raw) {
      if (item.syntaxError() != null) {
        typeErrors.add(new ItemError(item.index(), item.syntaxError()));
      }
    }
    if (!typeErrors.isEmpty()) {
      return done(Problems.response(StatusCodes.BAD_REQUEST, "malformed-json",
          "the body does not have the expected shape", Map.of("errors", typeErrors)));
    }
    if (raw.isEmpty()) {
      return done(Problems.response(StatusCodes.UNPROCESSABLE_ENTITY, "no-valid-readings",
          "the request holds no readings"));
    }
    Instant receivedAt = rules.clock().instant();
    List<Reading> readings = new ArrayList<>(raw.size());
    List<ItemError> invalid = new ArrayList<>();
    for (RawItem item : raw) {
      ValidatedItem v = ValidatedItem.of(item, sensor, rules, receivedAt);
      if (v.valid()) {
        readings.add(v.reading());
      } else {
        invalid.add(new ItemError(v.index(), v.error()));
      }
    }
    if (!invalid.isEmpty()) {
      HttpMetrics.readings("sensor_readings", 0, 0, raw.size(), 0);
      return done(Problems.response(StatusCodes.UNPROCESSABLE_ENTITY, "invalid-readings",
          "nothing was stored: " + invalid.size() + " reading(s) are invalid", Map.of("errors", invalid)));
    }
    if (!writePermits.tryAcquire(1)) {
      HttpMetrics.readings("sensor_readings", 0, 0, 0, readings.size());
      ServiceUnavailableException full = BatchIngest.atCapacity(writePermits, settings);
      return done(Problems.unavailable(full.getMessage(), full.retryAfter(), Map.of()));
    }
    return gateway.record(sensor, readings, requestId, receivedAt).whenComplete((outcome, failure) -> {
      writePermits.release(1);
      if (failure != null) {
        HttpMetrics.readings("sensor_readings", 0, 0, 0, readings.size());
      } else if (outcome.refusal() != null) {
        HttpMetrics.readings("sensor_readings", 0, 0, readings.size(), 0);
      } else {
        HttpMetrics.readings("sensor_readings", outcome.accepted(), outcome.duplicates(), outcome.conflicts().size(), 0);
      }
    }).thenApply(outcome -> {
      if (outcome.refusal() == SensorGateway.Refusal.DECOMMISSIONED) {
        return Problems.response(StatusCodes.CONFLICT, "sensor-decommissioned",
            BatchIngest.refusalText(sensor, outcome.refusal()) + "; its readings are no longer accepted");
      }
      if (outcome.refusal() == SensorGateway.Refusal.NOT_REGISTERED) {
        return Problems.response(StatusCodes.NOT_FOUND, "sensor-not-registered",
            BatchIngest.refusalText(sensor, outcome.refusal()) + "; register it with PUT /api/v1/sensors/" + sensor.value());
      }
      if (!outcome.conflicts().isEmpty()) {
        return IngestResponses.conflict(readings, outcome);
      }
      return Json.response(StatusCodes.ACCEPTED,
          new IngestResponses.Ack(outcome.accepted(), outcome.duplicates(), outcome.sequenceNr()));
    });
  }

  // ---- POST /api/v1/readings ----------------------------------------------------------------

  private Route ingestBatch() {
    return extractRequest(request -> {
      HttpEntity entity = request.entity();
      String requestId = requestId(request);
      boolean ndjson = isNdjson(entity);
      if (!ndjson && !isJson(entity)) {
        return complete(unsupportedType(entity, "application/json or application/x-ndjson"));
      }
      HttpEntity limited = entity.withSizeLimit(settings.batchMaxBytes());
      return completeWithFuture(limited(() -> {
        CompletionStage<BatchTally> tally;
        if (ndjson) {
          tally = batchIngest.run(limited.getDataBytes()
              .via(Framing.delimiter(ByteString.fromString("\n"), MAX_NDJSON_LINE_BYTES, FramingTruncation.ALLOW))
              .filter(line -> !isBlank(line))
              .zipWithIndex()
              .map(p -> ReadingJson.parseLine(p.first().toArray(), p.second().intValue())), requestId, materializer);
        } else {
          tally = limited.toStrict(BODY_READ_TIMEOUT_MILLIS, UNBOUNDED_TO_STRICT, materializer)
              .thenCompose(strict -> batchIngest.run(
                  org.apache.pekko.stream.javadsl.Source.from(parseArray(strict.getData().toArray())), requestId,
                  materializer));
        }
        return tally.thenApply(t -> t.toResponse(settings.retryAfter()));
      }));
    });
  }

  private List<RawItem> parseArray(byte[] body) {
    try {
      if (body.length > 0 && firstNonBlank(body) != '[') {
        throw new MalformedJsonException("the batch body must be a JSON array of readings");
      }
      return ReadingJson.parseDocument(body, settings.batchMaxItems());
    } catch (MalformedJsonException e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }

  private static int firstNonBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b;
      }
    }
    return -1;
  }

  private static boolean isBlank(ByteString line) {
    for (int i = 0; i < line.size(); i++) {
      byte b = line.apply(i);
      if (b != ' ' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  // ---- GET /api/v1/sensors/{id} -------------------------------------------------------------

  private Route getSensor(String rawSensorId) {
    return parameterOptional("consistency", consistency -> {
      String mode = consistency.orElse("eventual");
      java.util.function.Function<Optional<SensorSummary>, HttpResponse> render = s -> s
          .map(summary -> Json.response(StatusCodes.OK, SensorView.of(summary, mode)))
          .orElseGet(() -> Problems.response(StatusCodes.NOT_FOUND, "unknown-sensor",
              "sensor " + rawSensorId + " is unknown (never registered and no readings)"));
      switch (mode) {
        case "eventual" -> {
          return queryRoutes.latest(rawSensorId, render);
        }
        case "strong" -> {
          return completeWithFuture(gateway.summary(SensorId.of(rawSensorId))
              .thenApply(s -> s.readingCount() == 0 && s.metadata() == null && s.decommissionedAt() == null
                  ? Optional.<SensorSummary>empty() : Optional.of(s))
              .thenApply(render)
              .exceptionally(this::failureResponse));
        }
        default -> {
          return complete(Problems.response(StatusCodes.BAD_REQUEST, "invalid-parameter",
              "consistency must be 'eventual' or 'strong'"));
        }
      }
    });
  }

  // ---- shared -------------------------------------------------------------------------------

  /** Runs {@code work} unless too many ingest requests are already in flight (then 503). */
  private CompletionStage<HttpResponse> limited(Supplier<CompletionStage<HttpResponse>> work) {
    if (ingestInFlight.incrementAndGet() > settings.maxInFlightIngest()) {
      ingestInFlight.decrementAndGet();
      return done(Problems.unavailable("too many ingest requests in flight on this node; retry later",
          settings.retryAfter(), Map.of()));
    }
    CompletionStage<HttpResponse> stage;
    try {
      stage = work.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage.exceptionally(this::failureResponse)
        .whenComplete((r, e) -> ingestInFlight.decrementAndGet());
  }

  /** Maps a failure to its problem response; unknown failures are 500s and are logged. */
  HttpResponse failureResponse(Throwable failure) {
    Throwable t = BatchIngest.unwrap(failure);
    Map<String, Object> partial = Map.of();
    if (t instanceof BatchIngest.PartialBatchException p) {
      partial = p.tally().partialReport();
      HttpMetrics.readings("readings", p.tally().accepted, p.tally().duplicates, p.tally().rejected.size(),
          p.tally().unconfirmed.size());
      t = BatchIngest.unwrap(p.getCause());
      String stored = " (" + p.tally().accepted + " reading(s) of earlier items were stored; resending with the same"
          + " readingIds is safe)";
      if (t instanceof EntityStreamSizeException) {
        return Problems.response(StatusCodes.PAYLOAD_TOO_LARGE, "body-too-large",
            "the body exceeds " + settings.batchMaxBytes() + " bytes" + stored, partial);
      }
      if (t instanceof TooManyItemsException) {
        return Problems.response(StatusCodes.PAYLOAD_TOO_LARGE, "too-many-items", t.getMessage() + stored, partial);
      }
      if (t instanceof org.apache.pekko.stream.scaladsl.Framing.FramingException) {
        return Problems.response(StatusCodes.BAD_REQUEST, "malformed-ndjson",
            "an NDJSON line is longer than " + MAX_NDJSON_LINE_BYTES + " bytes" + stored, partial);
      }
    }
    if (t instanceof EntityStreamSizeException e) {
      return Problems.response(StatusCodes.PAYLOAD_TOO_LARGE, "body-too-large",
          "the body exceeds the limit of " + e.limit() + " bytes for this endpoint");
    }
    if (t instanceof TooManyItemsException) {
      return Problems.response(StatusCodes.PAYLOAD_TOO_LARGE, "too-many-items", t.getMessage());
    }
    if (t instanceof MalformedJsonException) {
      return Problems.response(StatusCodes.BAD_REQUEST, "malformed-json", t.getMessage());
    }
    if (t instanceof ServiceUnavailableException su) {
      return Problems.unavailable(su.getMessage(), su.retryAfter(), partial);
    }
    if (t instanceof TimeoutException) {
      return Problems.unavailable("a dependency did not answer in time", settings.retryAfter(), partial);
    }
    log.error("unexpected failure while serving a request", t);
    return Problems.response(StatusCodes.INTERNAL_SERVER_ERROR, null, "internal error; see the node's log");
  }

  private ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder().matchAny(e -> complete(failureResponse(e))).build();
  }

  /** Pekko's default rejection handling, with its plain-text bodies turned into problem+json. */
  private static RejectionHandler rejectionHandler() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity() instanceof HttpEntity.Strict strict
          && !strict.getContentType().mediaType().toString().contains("json")) {
        String detail = strict.getData().utf8String();
        return Problems.response(response.status(), null, detail.isEmpty() ? response.status().reason() : detail)
            .addHeaders(response.getHeaders());
      }
      return response;
    });
  }

  private static boolean isJson(HttpEntity entity) {
    String mt = entity.getContentType().mediaType().toString();
    return mt.equals("application/json");
  }

  private static boolean isNdjson(HttpEntity entity) {
    String mt = entity.getContentType().mediaType().toString();
    return mt.equals("application/x-ndjson") || mt.equals("application/ndjson") || mt.equals("application/jsonl");
  }

  private static HttpResponse unsupportedType(HttpEntity entity, String expected) {
    return Problems.response(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
        "Content-Type " + entity.getContentType() + " is not supported here; send " + expected);
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
