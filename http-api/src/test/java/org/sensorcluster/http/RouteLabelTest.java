package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The route label of {@code sensors_http_requests_total} for matched, rejected and unmatched
 * requests: the values dashboards use, set where each route is defined ({@link
 * RequestContext#metered}).
 */
class RouteLabelTest extends ApiTestBase {

  @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
  @CsvSource({
    "GET,    /metrics,                             metrics",
    "POST,   /metrics,                             metrics",
    "GET,    /api/v1/sensors,                      sensors",
    "GET,    /api/v1/sensors/x,                    sensor",
    "PATCH,  /api/v1/sensors/x,                    sensor",
    "GET,    /api/v1/sensors/bad%20id,             sensor",
    "GET,    /api/v1/sensors/x/readings,           sensor_readings",
    "PUT,    /api/v1/sensors/x/readings,           sensor_readings",
    "POST,   /api/v1/sensors/bad%20id/readings,    sensor_readings",
    "GET,    /api/v1/sensors/x/other,              other",
    "GET,    /api/v1/sensors/bad%20id/other,       other",
    "GET,    /api/v1/readings,                     readings",
    "GET,    /api/v1/readings/extra,               other",
    "GET,    /api/v1/alerts,                       alerts",
    "GET,    /api/v1/alerts/x,                     other",
    "GET,    /api/v1/stats,                        stats",
    "GET,    /api/v1/admin,                        admin",
    "GET,    /api/v1/admin/cluster,                admin",
    "GET,    /api/v1/admin/projections/x,          admin",
    "GET,    /api/v1/nothing,                      other",
    "GET,    /api/v1/openapi.json,                 openapi",
    "GET,    /api/docs,                            docs",
    "GET,    /api/docs/swagger-ui.css,             docs",
    "GET,    /api/docs/no-such-file,               docs",
    "GET,    /api/v2/readings,                     other",
    "GET,    /,                                    dashboard",
    "GET,    /ui/dashboard.css,                    dashboard",
    "GET,    /ui/uplot/dist/uPlot.min.css,         dashboard",
    "GET,    /ui/no-such-file,                     dashboard",
    "GET,    /elsewhere,                           other",
  })
  void everyRequestIsCountedUnderItsRouteLabel(String method, String path, String label) {
    Resp r = method(method, path);
    String status = Integer.toString(r.status());
    double before = HttpMetrics.REQUESTS.labelValues(label, method, status).get();
    method(method, path);
    assertEquals(
        before + 1,
        HttpMetrics.REQUESTS.labelValues(label, method, status).get(),
        0.0,
        r::toString);
  }
}
