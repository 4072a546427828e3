package org.sensorcluster.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.auth.Principal;

/**
 * {@code POST /api/v1/sensors/{id}/readings} (one sensor, all or nothing) and {@code POST
 * /api/v1/readings} (a batch as a JSON array or NDJSON, item by item); at most {@link
 * HttpSettings#maxInFlightIngest()} of them in flight on this node, beyond that 503.
 */
final class IngestRoutes extends AllDirectives {

  private final HttpSettings settings;
  private final Materializer materializer;
  private final SingleIngest singleIngest;
  private final BatchIngest batchIngest;
  private final Quotas quotas;
  private final AtomicInteger inFlight = new AtomicInteger();

  IngestRoutes(
      SensorGateway gateway,
      ReadingRules rules,
      HttpSettings settings,
      QuotaSettings quotaSettings,
      Materializer materializer) {
    this.settings = settings;
    this.materializer = materializer;
    WritePermits writePermits =
        new WritePermits(settings.maxWritesInFlight(), quotaSettings.deviceWriteShare());
    this.quotas = new Quotas(System::nanoTime);
    this.singleIngest = new SingleIngest(gateway, rules, settings, writePermits, quotas);
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
                          .thenCompose(body -> singleIngest.store(sensor, who, body, requestId))));
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
