package org.sensorcluster.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.view.AlertFilter;
import org.sensorcluster.domain.view.AlertView;
import org.sensorcluster.domain.view.SensorFilter;
import org.sensorcluster.domain.view.Step;

/**
 * The dashboard queries over read models: sensor list, readings, alerts, stats. Every response says
 * how far behind the journal its read model is ({@code X-Read-Model-Lag-Ms}, {@code
 * X-Read-Model-Lag-Events}); {@code minSeq=<sensorId>:<n>} waits until the model applied that write
 * (read-your-writes), bounded by {@link QuerySettings#minSeqTimeout()}.
 */
final class QueryRoutes extends AllDirectives {

  static final int MAX_LIMIT = 1000;
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_POINTS = 10_000;
  static final int DEFAULT_POINTS = 500;
  static final Duration DEFAULT_RANGE = Duration.ofHours(24);

  private final SensorQueries queries;
  private final ReadingRules rules;
  private final CursorCodec cursors;
  private final QueryRunner runner;

  QueryRoutes(SensorQueries queries, QuerySettings settings, ReadingRules rules) {
    this.queries = queries;
    this.rules = rules;
    this.cursors = new CursorCodec(settings.cursorSecret());
    this.runner = new QueryRunner(queries, settings);
  }

  /** See {@link SensorQueries#inJournal}. */
  CompletionStage<Boolean> inJournal(String sensorId) {
    return queries.inJournal(sensorId);
  }

  /**
   * Single-sensor query {@code GET /api/v1/sensors/{id}} (eventual consistency) with minSeq and
   * lag.
   */
  Route latest(String sensorId, Function<Optional<SensorSummary>, HttpResponse> render) {
    return runner.serve(
        Set.of("consistency", "minSeq"),
        p ->
            new ModelQuery(
                SensorQueries.SENSOR_LATEST,
                QueryParams.minSeq(Optional.ofNullable(p.get("minSeq"))),
                () -> queries.latest(sensorId).thenApply(render)));
  }

  // ---- GET /api/v1/sensors ------------------------------------------------------------------

  Route listSensors() {
    return runner.serve(
        Set.of("type", "label", "alerting", "silent", "limit", "cursor", "minSeq"),
        p -> {
          String type = QueryParams.type(Optional.ofNullable(p.get("type")));
          QueryParams.Label label = QueryParams.label(Optional.ofNullable(p.get("label")));
          String labelKey = label == null ? null : label.key();
          String labelValue = label == null ? null : label.value();
          Boolean alerting = QueryParams.bool(Optional.ofNullable(p.get("alerting")), "alerting");
          Boolean silent = QueryParams.bool(Optional.ofNullable(p.get("silent")), "silent");
          int limit =
              QueryParams.intInRange(
                  Optional.ofNullable(p.get("limit")), "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
          String after =
              p.get("cursor") == null
                  ? null
                  : CursorCodec.sensorIdKey(cursors.decode("sensors", p.get("cursor"), 1), 0);
          SensorFilter filter =
              new SensorFilter(type, labelKey, labelValue, alerting, after, limit, silent);
          return new ModelQuery(
              SensorQueries.SENSOR_LATEST,
              QueryParams.minSeq(Optional.ofNullable(p.get("minSeq"))),
              () ->
                  queries
                      .sensors(filter)
                      .thenApply(
                          page -> {
                            List<SensorView> items = new ArrayList<>(page.items().size());
                            for (SensorSummary s : page.items()) {
                              items.add(SensorView.of(s, "eventual"));
                            }
                            String next =
                                page.hasMore() && !items.isEmpty()
                                    ? cursors.encode(
                                        "sensors", List.of(items.get(items.size() - 1).sensorId()))
                                    : null;
                            return Json.response(
                                StatusCodes.OK, QueryBodies.page(items, next, limit));
                          }));
        });
  }

  // ---- GET /api/v1/sensors/{id}/readings ----------------------------------------------------

  Route readings(String sensorId) {
    return optionalHeaderValueByName(
        "Accept", accept -> readings(sensorId, SeriesCsv.wanted(accept)));
  }

  private Route readings(String sensorId, boolean csv) {
    return runner.serve(
        Set.of("from", "to", "step", "maxPoints", "minSeq"),
        p -> {
          Instant now = rules.clock().instant();
          Instant to = QueryParams.instant(Optional.ofNullable(p.get("to")), "to", now);
          Instant from =
              QueryParams.instant(
                  Optional.ofNullable(p.get("from")), "from", to.minus(DEFAULT_RANGE));
          if (!from.isBefore(to)) {
            throw new BadParameterException(
                "from must be before to (from=" + from + ", to=" + to + ")");
          }
          String stepText = p.getOrDefault("step", "auto");
          Step step = "auto".equals(stepText) ? null : Step.parse(stepText);
          if (step == null && !"auto".equals(stepText)) {
            throw new BadParameterException(
                "step must be raw, 1m, 1h or auto, got '" + QueryParams.abbreviate(stepText) + "'");
          }
          int maxPoints =
              QueryParams.intInRange(
                  Optional.ofNullable(p.get("maxPoints")),
                  "maxPoints",
                  1,
                  MAX_POINTS,
                  DEFAULT_POINTS);
          String model =
              step == Step.RAW || step == null ? SensorQueries.READINGS : SensorQueries.ROLLUPS;
          // auto may answer from either model: a minSeq must hold in both
          List<String> awaited =
              step == null
                  ? List.of(SensorQueries.READINGS, SensorQueries.ROLLUPS)
                  : List.of(model);
          return new ModelQuery(
              model,
              awaited,
              QueryParams.minSeq(Optional.ofNullable(p.get("minSeq"))),
              () ->
                  queries
                      .readings(sensorId, from, to, step, maxPoints)
                      .thenApply(
                          series -> {
                            // auto may have answered from the rollups: report the lag of the model
                            // actually read
                            String served =
                                series.step() == Step.RAW
                                    ? SensorQueries.READINGS
                                    : SensorQueries.ROLLUPS;
                            return runner.withLag(
                                csv
                                    ? SeriesCsv.response(series)
                                    : Json.response(StatusCodes.OK, QueryBodies.series(series)),
                                served);
                          }));
        });
  }

  // ---- GET /api/v1/alerts -------------------------------------------------------------------

  Route listAlerts() {
    return runner.serve(
        Set.of("state", "sensorId", "limit", "cursor", "minSeq"),
        p -> {
          String state = p.get("state");
          Boolean open;
          if (state == null) {
            open = null;
          } else if (state.equals("open")) {
            open = Boolean.TRUE;
          } else if (state.equals("closed")) {
            open = Boolean.FALSE;
          } else {
            throw new BadParameterException(
                "state must be open or closed, got '" + QueryParams.abbreviate(state) + "'");
          }
          String sensorId =
              QueryParams.sensorId(Optional.ofNullable(p.get("sensorId")), "sensorId");
          int limit =
              QueryParams.intInRange(
                  Optional.ofNullable(p.get("limit")), "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
          AlertFilter.AlertKey after = null;
          if (p.get("cursor") != null) {
            List<?> k = cursors.decode("alerts", p.get("cursor"), 3);
            after =
                new AlertFilter.AlertKey(
                    CursorCodec.instantKey(k, 0),
                    CursorCodec.sensorIdKey(k, 1),
                    CursorCodec.longKey(k, 2));
          }
          AlertFilter filter = new AlertFilter(open, sensorId, after, limit);
          return new ModelQuery(
              SensorQueries.ALERTS,
              QueryParams.minSeq(Optional.ofNullable(p.get("minSeq"))),
              () ->
                  queries
                      .alerts(filter)
                      .thenApply(
                          page -> {
                            List<QueryBodies.Alert> items =
                                page.items().stream().map(QueryBodies.Alert::of).toList();
                            String next = null;
                            if (page.hasMore() && !items.isEmpty()) {
                              AlertView last = page.items().get(page.items().size() - 1);
                              next =
                                  cursors.encode(
                                      "alerts",
                                      List.of(
                                          last.raisedAt().toString(),
                                          last.sensorId(),
                                          last.alertNumber()));
                            }
                            return Json.response(
                                StatusCodes.OK, QueryBodies.page(items, next, limit));
                          }));
        });
  }

  // ---- GET /api/v1/stats --------------------------------------------------------------------

  Route stats() {
    return runner.serve(
        Set.of("minSeq"),
        p ->
            new ModelQuery(
                SensorQueries.SENSOR_LATEST,
                QueryParams.minSeq(Optional.ofNullable(p.get("minSeq"))),
                () -> queries.stats().thenApply(s -> Json.response(StatusCodes.OK, s))));
  }
}
