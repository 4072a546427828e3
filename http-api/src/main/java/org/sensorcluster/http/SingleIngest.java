package org.sensorcluster.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.domain.Refusal;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.auth.Principal;

/**
 * Stores the body of {@code POST /api/v1/sensors/{id}/readings}, all or nothing: parses and
 * validates every reading, takes the sender's readings quota and a write permit, writes them to the
 * sensor in one go and turns its answer into the reply.
 */
final class SingleIngest {

  /** The label of single-sensor ingest in {@code sensors_ingest_readings_total}. */
  private static final String SINGLE = "sensor_readings";

  private final SensorGateway gateway;
  private final ReadingRules rules;
  private final HttpSettings settings;
  private final WritePermits writePermits;
  private final Quotas quotas;

  SingleIngest(
      SensorGateway gateway,
      ReadingRules rules,
      HttpSettings settings,
      WritePermits writePermits,
      Quotas quotas) {
    this.gateway = gateway;
    this.rules = rules;
    this.settings = settings;
    this.writePermits = writePermits;
    this.quotas = quotas;
  }

  CompletionStage<HttpResponse> store(
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
      ServiceUnavailableException full = IngestRefusals.atCapacity(writePermits, settings);
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
              if (outcome.refusal() == Refusal.NEW_SENSOR_QUOTA) {
                return Problems.overQuota(
                    IngestRefusals.refusalText(sensor, outcome.refusal()),
                    quotas.untilNewSensor(who),
                    Map.of());
              }
              if (outcome.refusal() == Refusal.DECOMMISSIONED) {
                return Problems.response(
                    StatusCodes.CONFLICT,
                    "sensor-decommissioned",
                    IngestRefusals.refusalText(sensor, outcome.refusal())
                        + "; its readings are no longer accepted");
              }
              if (outcome.refusal() == Refusal.NOT_REGISTERED) {
                return Problems.response(
                    StatusCodes.NOT_FOUND,
                    "sensor-not-registered",
                    IngestRefusals.refusalText(sensor, outcome.refusal())
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

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
