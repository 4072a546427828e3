package org.sensorcluster.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;
import static org.sensorcluster.http.RequestContext.metered;
import static org.sensorcluster.http.SensorRoutes.validId;

import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.sensorcluster.domain.ReadingRules;

/**
 * The route tree of {@code /metrics} and {@code /api/v1}: which path and method goes to which resource
 * class, and the metrics label of each route. What every request goes through (request ids, metrics,
 * failures as problem+json) is {@link RequestContext}, around the tree.
 */
public final class ApiRoutes extends AllDirectives {

  private final RequestContext context;
  private final MetricsRoute metrics = new MetricsRoute();
  private final IngestRoutes ingest;
  private final SensorRoutes sensors;
  private final QueryRoutes queries;
  private final AdminRoutes admin;

  public ApiRoutes(SensorGateway gateway, SensorQueries queries, ReadModelAdmin admin, ClusterAdmin clusterAdmin,
                   ReadingRules rules, HttpSettings settings, QuerySettings querySettings, Materializer materializer) {
    this.context = new RequestContext(new FailureResponses(settings));
    this.ingest = new IngestRoutes(gateway, rules, settings, materializer);
    this.queries = new QueryRoutes(queries, querySettings, rules);
    this.sensors = new SensorRoutes(gateway, this.queries, materializer);
    this.admin = new AdminRoutes(admin, clusterAdmin);
  }

  public Route routes() {
    return context.around(concat(
        path("metrics", () -> metered("metrics", () -> get(metrics::route))),
        pathPrefix("api", () -> pathPrefix("v1", () -> concat(
            pathPrefix("sensors", () -> concat(
                pathEnd(() -> metered("sensors", () -> get(queries::listSensors))),
                pathPrefix(segment(), this::sensor))),
            path("readings", () -> metered("readings", () -> post(ingest::batch))),
            path("alerts", () -> metered("alerts", () -> get(queries::listAlerts))),
            path("stats", () -> metered("stats", () -> get(queries::stats))),
            pathPrefix("admin", () -> metered("admin", this::adminTree)))))));
  }

  /** {@code /api/v1/sensors/{id}} and below; a malformed id is 400 whatever the method and the rest of the path. */
  private Route sensor(String id) {
    return concat(
        pathEnd(() -> metered("sensor", () -> validId(id, sensor -> concat(
            get(() -> sensors.read(sensor)),
            put(() -> sensors.put(sensor)),
            delete(() -> sensors.delete(sensor)))))),
        path("readings", () -> metered("sensor_readings", () -> validId(id, sensor -> concat(
            post(() -> ingest.single(sensor)),
            get(() -> queries.readings(id)))))),
        validId(id, sensor -> reject()));
  }

  /** {@code /api/v1/admin/...}. */
  private Route adminTree() {
    return concat(
        path("cluster", () -> get(admin::cluster)),
        pathPrefix("projections", () -> concat(
            pathEnd(() -> get(admin::projections)),
            path(segment().slash("rebuild"), name -> post(() -> admin.rebuild(name))),
            path(segment().slash("pause"), name -> post(() -> admin.setPaused(name, true))),
            path(segment().slash("resume"), name -> post(() -> admin.setPaused(name, false))))));
  }
}
