package org.sensorcluster.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** RFC 9457 problem details ({@code application/problem+json}) for every error this API returns. */
public final class Problems {

  public static final ContentType PROBLEM_JSON =
      MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8, "json")
          .toContentType();

  private static final String TYPE_BASE = "https://sensorcluster.org/problems/";

  private Problems() {}

  /** A problem body; {@code extra} members (may be empty) are added after the standard ones. */
  public static HttpResponse response(
      StatusCode status, String slug, String detail, Map<String, ?> extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", slug == null ? "about:blank" : TYPE_BASE + slug);
    body.put("title", status.reason());
    body.put("status", status.intValue());
    body.put("detail", detail);
    body.putAll(extra);
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(HttpEntities.create(PROBLEM_JSON, Json.MAPPER.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static HttpResponse response(StatusCode status, String slug, String detail) {
    return response(status, slug, detail, Map.of());
  }

  /** 503 with {@code Retry-After} in whole seconds (at least 1). */
  public static HttpResponse unavailable(String detail, Duration retryAfter, Map<String, ?> extra) {
    return withRetryAfter(
        response(
            org.apache.pekko.http.javadsl.model.StatusCodes.SERVICE_UNAVAILABLE,
            "unavailable",
            detail,
            extra),
        retryAfter);
  }

  /** 429 with {@code Retry-After}: the sender's own quota is used up (the node itself is fine). */
  public static HttpResponse overQuota(String detail, Duration retryAfter, Map<String, ?> extra) {
    return withRetryAfter(
        response(
            org.apache.pekko.http.javadsl.model.StatusCodes.TOO_MANY_REQUESTS,
            "quota-exceeded",
            detail,
            extra),
        retryAfter);
  }

  public static HttpResponse withRetryAfter(HttpResponse response, Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return response.addHeader(RawHeader.create("Retry-After", Long.toString(seconds)));
  }
}
