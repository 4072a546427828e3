package org.sensorcluster.http;

import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every request goes through, around the whole route tree: its correlation id (request
 * attribute, {@code X-Request-Id} on the response), the failure and rejection mapping ({@link
 * FailureResponses}), and its metrics: every response (after error mapping) is counted by route
 * label, method and status, and timed. The label is set by {@link #metered} where each route is
 * defined; a request no route claims is labelled {@value #UNMATCHED}. 5xx responses other than 503
 * are logged at WARN, every response at DEBUG (logger {@code ...http.ApiRoutes}); 503s come in
 * floods under overload and are counted instead. Request bodies may be {@code Content-Encoding:
 * gzip} (or deflate); each endpoint's body limit then applies to the decompressed bytes, so a zip
 * bomb gets 413. Responses are compressed when the client sends {@code Accept-Encoding}. A check
 * for every route belongs here.
 */
final class RequestContext extends AllDirectives {

  static final String UNMATCHED = "other";
  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
  private static final AttributeKey<RouteLabel> ROUTE =
      AttributeKey.create("sensors-route", RouteLabel.class);

  private final ExceptionHandler exceptions;
  private final RejectionHandler rejections = FailureResponses.rejectionHandler();
  private final BodyEncoding encodings = new BodyEncoding();

  private final java.util.function.BooleanSupplier draining;

  RequestContext(FailureResponses failures) {
    this(failures, () -> false);
  }

  /** {@code draining}: the node is shutting down (see {@link ClusterAdmin#draining()}). */
  RequestContext(FailureResponses failures, java.util.function.BooleanSupplier draining) {
    this.exceptions = failures.exceptionHandler();
    this.draining = draining;
  }

  /** The metrics label of one request: set once its path matched a route. */
  private static final class RouteLabel {
    private volatile String value = UNMATCHED;
  }

  /** Labels the requests that reach {@code inner} with {@code route} in the HTTP metrics. */
  static Route metered(String route, Supplier<Route> inner) {
    return Directives.optionalAttribute(
        ROUTE,
        label -> {
          label.ifPresent(l -> l.value = route);
          return inner.get();
        });
  }

  /** The correlation id that {@link #around} gave the request. */
  static String requestId(HttpRequest request) {
    return request.getAttribute(RequestIds.ATTRIBUTE).orElse(null);
  }

  /** {@code tree} with all of the above around it. */
  Route around(Route tree) {
    return extractRequest(
        request -> {
          long started = System.nanoTime();
          RouteLabel label = new RouteLabel();
          String requestId =
              RequestIds.of(request.getHeader(RequestIds.HEADER).map(h -> h.value()));
          return mapRequest(
              r -> r.addAttribute(RequestIds.ATTRIBUTE, requestId).addAttribute(ROUTE, label),
              () ->
                  mapResponse(
                      response ->
                          answered(
                              request,
                              requestId,
                              label.value,
                              started,
                              closingWhenDraining(response)),
                      () ->
                          draining.getAsBoolean()
                              ? complete(shuttingDown())
                              : encodeResponse(
                                  () ->
                                      drainingRefused(
                                          request,
                                          () ->
                                              handleExceptions(
                                                  exceptions,
                                                  () ->
                                                      handleRejections(
                                                          rejections,
                                                          () -> encodings.decoded(() -> tree)))))));
        });
  }

  /**
   * While the node shuts down: a request that arrives is refused, to be sent to another node at
   * once ({@code Retry-After: 0}: nothing to wait out, the other nodes serve; the answer closes the
   * connection, so the client's next one goes elsewhere).
   */
  private HttpResponse shuttingDown() {
    return Problems.response(
            org.apache.pekko.http.javadsl.model.StatusCodes.SERVICE_UNAVAILABLE,
            "shutting-down",
            "this node is shutting down; send the request to another node now")
        .addHeader(RawHeader.create("Retry-After", "0"));
  }

  /**
   * Every answer given while the node shuts down (also to requests that were in flight) closes its
   * connection: the client's next request opens one to a node that stays, instead of racing the
   * close of an idle keep-alive connection here.
   */
  private HttpResponse closingWhenDraining(HttpResponse response) {
    return draining.getAsBoolean()
        ? response.addHeader(org.apache.pekko.http.javadsl.model.headers.Connection.create("close"))
        : response;
  }

  /**
   * After an error answer, reads and drops what is left of the request's body (up to {@link
   * Bodies#DRAIN_CAP}) before the answer goes out: a route that refused a request without reading
   * its body would otherwise have the connection closed on the unread bytes, and a client still
   * sending gets a reset instead of its 4xx. A body the route already read cannot be read again;
   * that attempt fails at once and is ignored.
   */
  private Route drainingRefused(HttpRequest request, Supplier<Route> inner) {
    return extractMaterializer(
        mat ->
            mapRouteResultWith(
                result -> {
                  if (!(result instanceof org.apache.pekko.http.javadsl.server.Complete complete)
                      || complete.getResponse().status().intValue() < 400) {
                    return java.util.concurrent.CompletableFuture.completedFuture(result);
                  }
                  org.apache.pekko.http.javadsl.model.RequestEntity entity = request.entity();
                  java.util.OptionalLong length = entity.getContentLengthOption();
                  if (entity.isKnownEmpty()
                      || entity instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict
                      || length.isEmpty()
                      || length.getAsLong() > Bodies.DRAIN_CAP) {
                    return java.util.concurrent.CompletableFuture.completedFuture(result);
                  }
                  return entity
                      .withoutSizeLimit() // bounded by DRAIN_CAP above, not the server's limit
                      .discardBytes(mat)
                      .completionStage()
                      .handle((done, failure) -> result);
                },
                inner));
  }

  private static HttpResponse answered(
      HttpRequest request, String requestId, String route, long started, HttpResponse response) {
    String method = request.method().name();
    int status = response.status().intValue();
    double seconds = (System.nanoTime() - started) / 1e9;
    HttpMetrics.REQUESTS.labelValues(route, method, Integer.toString(status)).inc();
    HttpMetrics.LATENCY.labelValues(route).observe(seconds);
    if (status >= 500 && status != 503) { // 503s are expected under overload: counted, not logged
      RequestIds.withMdc(
          requestId,
          () ->
              log.warn(
                  "{} {} answered {} in {} ms", method, route, status, Math.round(seconds * 1000)));
    } else if (log.isDebugEnabled()) {
      RequestIds.withMdc(
          requestId,
          () ->
              log.debug(
                  "{} {} answered {} in {} ms", method, route, status, Math.round(seconds * 1000)));
    }
    return response.addHeader(RawHeader.create(RequestIds.HEADER, requestId));
  }
}
