package org.sensorcluster.http;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /metrics}: every metric of the default registry in the Prometheus text format. */
final class MetricsRoute extends AllDirectives {

  private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);

  Route route() {
    return extractExecutionContext(
        ec ->
            completeWithFuture(
                java.util.concurrent.CompletableFuture.supplyAsync(this::scrape, ec)));
  }

  HttpResponse scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, HttpMetrics.REGISTRY.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, out.toByteArray()));
  }
}
