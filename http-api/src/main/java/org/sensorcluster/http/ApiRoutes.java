package org.sensorcluster.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;
import static org.sensorcluster.domain.auth.Permission.ADMINISTER;
import static org.sensorcluster.domain.auth.Permission.MANAGE_SENSORS;
import static org.sensorcluster.domain.auth.Permission.READ;
import static org.sensorcluster.domain.auth.Permission.WRITE_READINGS;
import static org.sensorcluster.http.RequestContext.metered;
import static org.sensorcluster.http.SensorRoutes.validId;

import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.sensorcluster.domain.ReadingRules;
import org.sensorcluster.domain.auth.Principal;

/**
 * The route tree of {@code /metrics} and {@code /api/v1}: which path and method goes to which
 * resource class, the metrics label of each route and the permission it needs ({@link Access}:
 * every route of {@code /api/v1} needs a token, {@code /metrics} is open for Prometheus, and so is
 * the API description, {@link ApiDocsRoutes}, described in {@code openapi/openapi.json}, and the
 * web dashboard at {@code /}, {@link DashboardRoutes}, which calls {@code /api/v1} with the token
 * one enters). What every request goes through (request ids, metrics, failures as problem+json) is
 * {@link RequestContext}, around the tree.
 */
public final class ApiRoutes extends AllDirectives {

  private final RequestContext context;
  private final MetricsRoute metrics = new MetricsRoute();
  private final ApiDocsRoutes docs = new ApiDocsRoutes();
  private final DashboardRoutes dashboard = new DashboardRoutes();
  private final IngestRoutes ingest;
  private final SensorRoutes sensors;
  private final QueryRoutes queries;
  private final AdminRoutes admin;
  private final TokenRoutes tokens;
  private final StreamRoutes streams;
  private final Access access;

  public ApiRoutes(
      SensorGateway gateway,
      SensorQueries queries,
      ReadModelAdmin admin,
      ClusterAdmin clusterAdmin,
      ReadingRules rules,
      HttpSettings settings,
      QuerySettings querySettings,
      QuotaSettings quotaSettings,
      Materializer materializer,
      Authenticator authenticator,
      TokenAdmin tokenAdmin,
      LiveEvents live) {
    this.context = new RequestContext(new FailureResponses(settings), clusterAdmin::draining);
    this.access = new Access(authenticator);
    this.tokens = new TokenRoutes(tokenAdmin, materializer);
    this.ingest = new IngestRoutes(gateway, rules, settings, quotaSettings, materializer);
    this.queries = new QueryRoutes(queries, querySettings, rules);
    this.sensors = new SensorRoutes(gateway, this.queries, materializer);
    this.admin = new AdminRoutes(admin, clusterAdmin);
    this.streams = new StreamRoutes(live, this.queries);
  }

  public Route routes() {
    return context.around(
        concat(
            path("metrics", () -> metered("metrics", () -> get(metrics::route))),
            dashboard.route(),
            pathPrefix(
                "api",
                () ->
                    concat(
                        docs.document(),
                        docs.swaggerUi(),
                        pathPrefix("v1", () -> access.authenticated(this::v1))))));
  }

  private Route v1(Principal who) {
    return concat(
        pathPrefix(
            "sensors",
            () ->
                concat(
                    pathEnd(
                        () ->
                            metered(
                                "sensors",
                                () ->
                                    get(() -> access.permitted(who, READ, queries::listSensors)))),
                    pathPrefix(segment(), id -> sensor(id, who)))),
        path(
            "readings",
            () ->
                metered(
                    "readings",
                    () ->
                        post(
                            () -> access.permitted(who, WRITE_READINGS, () -> ingest.batch(who))))),
        pathPrefix(
            "alerts",
            () ->
                concat(
                    pathEnd(
                        () ->
                            metered(
                                "alerts",
                                () -> get(() -> access.permitted(who, READ, queries::listAlerts)))),
                    path(
                        "stream",
                        () ->
                            metered(
                                "alerts_stream",
                                () -> get(() -> access.permitted(who, READ, streams::alerts)))))),
        path(
            "stream",
            () -> metered("stream", () -> get(() -> access.permitted(who, READ, streams::fleet)))),
        path(
            "stats",
            () -> metered("stats", () -> get(() -> access.permitted(who, READ, queries::stats)))),
        pathPrefix(
            "admin",
            () -> metered("admin", () -> access.permitted(who, ADMINISTER, this::adminTree))));
  }

  /**
   * {@code /api/v1/sensors/{id}} and below; a malformed id is 400 whatever the method and the rest
   * of the path.
   */
  private Route sensor(String id, Principal who) {
    return concat(
        pathEnd(
            () ->
                metered(
                    "sensor",
                    () ->
                        validId(
                            id,
                            sensor ->
                                concat(
                                    get(
                                        () ->
                                            access.permitted(
                                                who, READ, () -> sensors.read(sensor))),
                                    put(
                                        () ->
                                            access.permitted(
                                                who, MANAGE_SENSORS, () -> sensors.put(sensor))),
                                    delete(
                                        () ->
                                            access.permitted(
                                                who,
                                                MANAGE_SENSORS,
                                                () -> sensors.delete(sensor))))))),
        path(
            "readings",
            () ->
                metered(
                    "sensor_readings",
                    () ->
                        validId(
                            id,
                            sensor ->
                                concat(
                                    post(
                                        () ->
                                            access.permitted(
                                                who,
                                                WRITE_READINGS,
                                                () -> ingest.single(sensor, who))),
                                    get(
                                        () ->
                                            access.permitted(
                                                who, READ, () -> queries.readings(id))))))),
        path(
            "stream",
            () ->
                metered(
                    "sensor_stream",
                    () ->
                        validId(
                            id,
                            sensor ->
                                get(
                                    () ->
                                        access.permitted(
                                            who, READ, () -> streams.sensor(sensor)))))),
        validId(id, sensor -> reject()));
  }

  /** {@code /api/v1/admin/...}. */
  private Route adminTree() {
    return concat(
        path("cluster", () -> get(admin::cluster)),
        pathPrefix(
            "projections",
            () ->
                concat(
                    pathEnd(() -> get(admin::projections)),
                    path(
                        "dead-letters",
                        () -> get(() -> parameterOptional("limit", admin::deadLetters))),
                    pathPrefix(
                        segment("dead-letters").slash(segment()).slash(segment()),
                        (projection, pid) ->
                            concat(
                                path(
                                    segment(),
                                    seq ->
                                        delete(
                                            () -> admin.discardDeadLetter(projection, pid, seq))),
                                path(
                                    segment().slash("retry"),
                                    seq ->
                                        post(() -> admin.retryDeadLetter(projection, pid, seq))))),
                    path(segment().slash("rebuild"), name -> post(() -> admin.rebuild(name))),
                    path(segment().slash("pause"), name -> post(() -> admin.setPaused(name, true))),
                    path(
                        segment().slash("resume"),
                        name -> post(() -> admin.setPaused(name, false))))),
        pathPrefix(
            "tokens",
            () ->
                concat(
                    pathEnd(() -> concat(get(tokens::list), post(tokens::create))),
                    path(segment(), id -> delete(() -> tokens.revoke(id))))));
  }
}
