package org.sensorcluster.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.auth.Principal;

/**
 * {@code POST /api/v1/sensors/{id}/readings} (one sensor, all or nothing) and {@code POST
 * /api/v1/readings} (a batch as a JSON array or NDJSON, item by item); at most {@link
 * HttpSettings#maxInFlightIngest()} of them in flight on this node, beyond that 503.
 */
final class IngestRoutes extends AllDirectives {

  /** The label of single-sensor ingest in {@code sensors_ingest_readings_total}. */
  private static final String SINGLE = "sensor_readings";

  private final SensorGateway gateway;
  private final ReadingRules rules;
  private final HttpSettings settings;
  private final Materializer materializer;
  private final WritePermits writePermits;
  private final BatchIngest batchIngest;
  private final Quotas quotas;
  private final AtomicInteger inFlight = new AtomicInteger();

  IngestRoutes(
      SensorGateway gateway,
      ReadingRules rules,
      HttpSettings settings,
      QuotaSettings quotaSettings,
      Materializer materializer) {
    this.gateway = gateway;
    this.rules = rules;
    this.settings = settings;
    this.materializer = materializer;
    this.writePermits =
        new WritePermits(settings.maxWritesInFlight(), quotaSettings.deviceWriteShare());
    this.quotas = new Quotas(System::nanoTime);
    this.batchIngest = new BatchIngest(gateway, rules, settings, writePermits, quotas);
  }

  // ---- POST /api/v1/sensors/{id}/readings -------------------------------------------------

  Route single(SensorId sensor, Principal who) {
    if (!who.mayWrite(sensor)) {
      return complete(Access.forbidden(ValidatedItem.outOfScopeText(sensor, who)));
    }
    Duration wait = quotas.admitRequest(who);
    if (!wait.isZero()) {
      return complete(overRequestQuota(who, wait));
    }
    return extractRequest(
        request -> {
          HttpEntity entity = request.entity();
          if (!Bodies.isJson(entity)) {
            return complete(Bodies.unsupportedType(entity, "application/json"));
          }
          String requestId = RequestContext.requestId(request);
          return completeWithFuture(
              limited(
                  () ->
                      Bodies.read(entity, settings.singleMaxBytes(), materializer)
                          .thenCompose(body -> storeSingle(sensor, who, body, requestId))));
        });
  }

  private CompletionStage<HttpResponse> storeSingle(
      SensorId sensor, Principal who, byte[] body, String requestId) {
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
      return done(
          Problems.response(
              StatusCodes.BAD_REQUEST,
              "malformed-json",
              "the body does not have the expected shape",
              Map.of("errors", typeErrors)));
    }
    if (raw.isEmpty()) {
      return done(
          Problems.response(
              StatusCodes.UNPROCESSABLE_CONTENT,
              "no-valid-readings",
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
      HttpMetrics.readings(SINGLE, 0, 0, raw.size(), 0);
      return done(
          Problems.response(
              StatusCodes.UNPROCESSABLE_CONTENT,
              "invalid-readings",
              "nothing was stored: " + invalid.size() + " reading(s) are invalid",
              Map.of("errors", invalid)));
    }
    Duration readingsWait = quotas.takeReadings(who, readings.size());
    if (!readingsWait.isZero()) {
      HttpMetrics.readings(SINGLE, 0, 0, 0, readings.size());
      return done(
          Problems.overQuota(
              "over this token's quota of "
                  + (long) who.quota().readingsPerSecond()
                  + " readings/s on this node; nothing was stored, send again later",
              readingsWait,
              Map.of()));
    }
    WritePermits.Admission admission = writePermits.tryAcquire(who, 1);
    if (admission != WritePermits.Admission.ADMITTED) {
      HttpMetrics.readings(SINGLE, 0, 0, 0, readings.size());
      if (admission == WritePermits.Admission.TOKEN_FULL) {
        return done(
            Problems.overQuota(
                "this token already has its share ("
                    + writePermits.perToken()
                    + ") of this node's sensor writes in flight; nothing was stored, send again later",
                settings.retryAfter(),
                Map.of()));
      }
      ServiceUnavailableException full = BatchIngest.atCapacity(writePermits, settings);
      return done(Problems.unavailable(full.getMessage(), full.retryAfter(), Map.of()));
    }
    return gateway
        .record(sensor, readings, requestId, receivedAt, quotas.mayCreateSensor(who))
        .whenComplete(
            (outcome, failure) -> {
              writePermits.release(who, 1);
              if (failure != null) {
                HttpMetrics.readings(SINGLE, 0, 0, 0, readings.size());
              } else if (outcome.refusal() != null) {
                HttpMetrics.readings(SINGLE, 0, 0, readings.size(), 0);
              } else {
                if (outcome.created()) {
                  quotas.sensorsCreated(who, 1);
                }
                HttpMetrics.readings(
                    SINGLE,
                    outcome.accepted(),
                    outcome.duplicates(),
                    outcome.conflicts().size(),
                    0);
              }
            })
        .thenApply(
            outcome -> {
              if (outcome.refusal() == SensorGateway.Refusal.NEW_SENSOR_QUOTA) {
                return Problems.overQuota(
                    BatchIngest.refusalText(sensor, outcome.refusal()),
                    quotas.untilNewSensor(who),
                    Map.of());
              }
              if (outcome.refusal() == SensorGateway.Refusal.DECOMMISSIONED) {
                return Problems.response(
                    StatusCodes.CONFLICT,
                    "sensor-decommissioned",
                    BatchIngest.refusalText(sensor, outcome.refusal())
                        + "; its readings are no longer accepted");
              }
              if (outcome.refusal() == SensorGateway.Refusal.NOT_REGISTERED) {
                return Problems.response(
                    StatusCodes.NOT_FOUND,
                    "sensor-not-registered",
                    BatchIngest.refusalText(sensor, outcome.refusal())
                        + "; register it with PUT /api/v1/sensors/"
                        + sensor.value());
              }
              if (!outcome.conflicts().isEmpty()) {
                return IngestResponses.conflict(readings, outcome);
              }
              return Json.response(
                  StatusCodes.ACCEPTED,
                  new IngestResponses.Ack(
                      outcome.accepted(), outcome.duplicates(), outcome.sequenceNr()));
            });
  }

  // ---- POST /api/v1/readings ----------------------------------------------------------------

  Route batch(Principal who) {
    Duration wait = quotas.admitRequest(who);
    if (!wait.isZero()) {
      return complete(overRequestQuota(who, wait));
    }
    return extractRequest(
        request -> {
          HttpEntity entity = request.entity();
          boolean ndjson = Bodies.isNdjson(entity);
          if (!ndjson && !Bodies.isJson(entity)) {
            return complete(
                Bodies.unsupportedType(entity, "application/json or application/x-ndjson"));
          }
          String requestId = RequestContext.requestId(request);
          return completeWithFuture(
              limited(
                  () -> {
                    CompletionStage<BatchTally> tally =
                        ndjson
                            ? batchIngest.run(
                                BatchBodies.ndjson(Bodies.paced(entity, settings.batchMaxBytes())),
                                who,
                                requestId,
                                materializer)
                            : Bodies.read(entity, settings.batchMaxBytes(), materializer)
                                .thenCompose(
                                    body ->
                                        batchIngest.run(
                                            Source.from(
                                                BatchBodies.array(body, settings.batchMaxItems())),
                                            who,
                                            requestId,
                                            materializer));
                    return tally
                        .whenComplete(
                            (t, failure) -> {
                              if (BatchIngest.unwrap(failure)
                                  instanceof BatchIngest.PartialBatchException p) {
                                p.tally().count();
                              }
                            })
                        .thenApply(t -> t.toResponse(settings.retryAfter()));
                  }));
        });
  }

  private static HttpResponse overRequestQuota(Principal who, Duration wait) {
    return Problems.overQuota(
        "over this token's quota of "
            + (long) who.quota().requestsPerSecond()
            + " requests/s on this node; send again later",
        wait,
        Map.of());
  }

  /** Runs {@code work} unless too many ingest requests are already in flight (then 503). */
  private CompletionStage<HttpResponse> limited(Supplier<CompletionStage<HttpResponse>> work) {
    if (inFlight.incrementAndGet() > settings.maxInFlightIngest()) {
      inFlight.decrementAndGet();
      return done(
          Problems.unavailable(
              "too many ingest requests in flight on this node; retry later",
              settings.retryAfter(),
              Map.of()));
    }
    CompletionStage<HttpResponse> stage;
    try {
      stage = work.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage.whenComplete((r, e) -> inFlight.decrementAndGet());
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
