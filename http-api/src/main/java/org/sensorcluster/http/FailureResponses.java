package org.sensorcluster.http;

import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.scaladsl.Framing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from failures and rejections to problem responses, installed around the whole
 * route tree by {@link RequestContext}: route classes let their futures fail and never map failures
 * themselves (except problems only they know, such as an unknown read model). Unknown failures are
 * 500s and are logged (logger {@code ...http.ApiRoutes}).
 */
final class FailureResponses {

  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

  private final HttpSettings settings;

  FailureResponses(HttpSettings settings) {
    this.settings = settings;
  }

  ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder().matchAny(e -> Directives.complete(of(e))).build();
  }

  /** Pekko's default rejection handling, with its plain-text bodies turned into problem+json. */
  static RejectionHandler rejectionHandler() {
    return RejectionHandler.defaultHandler()
        .mapRejectionResponse(
            response -> {
              if (response.entity() instanceof HttpEntity.Strict strict
                  && !strict.getContentType().mediaType().toString().contains("json")) {
                String detail = strict.getData().utf8String();
                return Problems.response(
                        response.status(),
                        null,
                        detail.isEmpty() ? response.status().reason() : detail)
                    .addHeaders(response.getHeaders());
              }
              return response;
            });
  }

  /** The problem response for {@code failure}. */
  HttpResponse of(Throwable failure) {
    Throwable t = BatchIngest.unwrap(failure);
    Map<String, Object> partial = Map.of();
    if (t instanceof BatchIngest.PartialBatchException p) {
      partial = p.tally().partialReport();
      t = BatchIngest.unwrap(p.getCause());
      String stored =
          " ("
              + p.tally().accepted
              + " reading(s) of earlier items were stored; resending with the same"
              + " readingIds is safe)";
      if (t instanceof EntityStreamSizeException || t instanceof Bodies.BodyTooLargeException) {
        return Problems.response(
            StatusCodes.CONTENT_TOO_LARGE,
            "body-too-large",
            "the body exceeds " + settings.batchMaxBytes() + " bytes" + stored,
            partial);
      }
      if (t instanceof TooManyItemsException) {
        return Problems.response(
            StatusCodes.CONTENT_TOO_LARGE, "too-many-items", t.getMessage() + stored, partial);
      }
      if (t instanceof BodyPace.SlowBodyException) {
        return Problems.response(
            StatusCodes.REQUEST_TIMEOUT, "body-too-slow", t.getMessage() + stored, partial);
      }
      if (t instanceof BodyEncoding.CorruptBodyException) {
        return Problems.response(
            StatusCodes.BAD_REQUEST, "malformed-body", t.getMessage() + stored, partial);
      }
      if (t instanceof Framing.FramingException) {
        return Problems.response(
            StatusCodes.BAD_REQUEST,
            "malformed-ndjson",
            "an NDJSON line is longer than "
                + BatchBodies.MAX_NDJSON_LINE_BYTES
                + " bytes"
                + stored,
            partial);
      }
    }
    if (t instanceof EntityStreamSizeException e) {
      return Problems.response(
          StatusCodes.CONTENT_TOO_LARGE,
          "body-too-large",
          "the body exceeds the limit of " + e.limit() + " bytes for this endpoint");
    }
    if (t instanceof BodyEncoding.CorruptBodyException) {
      return Problems.response(StatusCodes.BAD_REQUEST, "malformed-body", t.getMessage(), partial);
    }
    if (t instanceof Bodies.BodyTooLargeException e) {
      return Problems.response(StatusCodes.CONTENT_TOO_LARGE, "body-too-large", e.getMessage());
    }
    if (t instanceof TooManyItemsException) {
      return Problems.response(StatusCodes.CONTENT_TOO_LARGE, "too-many-items", t.getMessage());
    }
    if (t instanceof BodyPace.SlowBodyException) {
      return Problems.response(StatusCodes.REQUEST_TIMEOUT, "body-too-slow", t.getMessage());
    }
    if (t instanceof MalformedJsonException) {
      return Problems.response(StatusCodes.BAD_REQUEST, "malformed-json", t.getMessage());
    }
    if (t instanceof ServiceUnavailableException su) {
      return Problems.unavailable(su.getMessage(), su.retryAfter(), partial);
    }
    if (t instanceof TimeoutException) {
      return Problems.unavailable(
          "a dependency did not answer in time", settings.retryAfter(), partial);
    }
    log.error("unexpected failure while serving a request", t);
    return Problems.response(
        StatusCodes.INTERNAL_SERVER_ERROR, null, "internal error; see the node's log");
  }
}
