package org.sensorcluster.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Prometheus metrics of the HTTP layer, in the process-wide default registry (one node per JVM;
 * tests compare values before and after). Route labels name a route where it is defined in {@link
 * ApiRoutes} ({@link RequestContext#metered}), never raw paths, so sensor ids do not multiply
 * series.
 */
public final class HttpMetrics {

  public static final PrometheusRegistry REGISTRY = PrometheusRegistry.defaultRegistry;

  static final Counter REQUESTS =
      Counter.builder()
          .name("sensors_http_requests_total")
          .help("HTTP requests by route template, method and status code")
          .labelNames("route", "method", "status")
          .register(REGISTRY);

  static final Histogram LATENCY =
      Histogram.builder()
          .name("sensors_http_request_duration_seconds")
          .help(
              "Time from request to response; for ingest routes this is the ack latency (after the journal confirmed)")
          .labelNames("route")
          .classicOnly()
          .classicUpperBounds(
              0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
          .register(REGISTRY);

  static final Counter READINGS =
      Counter.builder()
          .name("sensors_ingest_readings_total")
          .help(
              "Readings received by ingest route and outcome (accepted, duplicate, rejected, unconfirmed)")
          .labelNames("route", "outcome")
          .register(REGISTRY);

  static final Histogram BATCH_SIZE =
      Histogram.builder()
          .name("sensors_ingest_request_readings")
          .help("Readings per ingest request")
          .labelNames("route")
          .classicOnly()
          .classicUpperBounds(1, 10, 50, 100, 500, 1000, 5000, 10000)
          .register(REGISTRY);

  static final Counter WRITES_REFUSED =
      Counter.builder()
          .name("sensors_ingest_writes_refused_total")
          .help(
              "Sensor writes refused by admission control (node at sensors.http.max-writes-in-flight): 503")
          .register(REGISTRY);

  private HttpMetrics() {}

  static void readings(String route, int accepted, int duplicates, int rejected, int unconfirmed) {
    if (accepted > 0) {
      READINGS.labelValues(route, "accepted").inc(accepted);
    }
    if (duplicates > 0) {
      READINGS.labelValues(route, "duplicate").inc(duplicates);
    }
    if (rejected > 0) {
      READINGS.labelValues(route, "rejected").inc(rejected);
    }
    if (unconfirmed > 0) {
      READINGS.labelValues(route, "unconfirmed").inc(unconfirmed);
    }
    int total = accepted + duplicates + rejected + unconfirmed;
    if (total > 0) {
      BATCH_SIZE.labelValues(route).observe(total);
    }
  }
}
