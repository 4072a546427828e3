package org.sensorcluster.loadgen;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A probe's way to a node's HTTP API: one HTTP/1.1 client, the node's base URL (without a trailing
 * slash) and the bearer token, if any, sent on every request ({@link ApiToken}).
 */
final class NodeHttp {

  private final HttpClient http;
  private final String url;
  private final String token;

  NodeHttp(String url, String token, Duration connectTimeout) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .build();
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token;
  }

  /** A request to {@code path} with the token, if any. */
  HttpRequest.Builder request(String path) {
    return ApiToken.request(url, path, token);
  }

  /** Sends {@code request}; a 401 or 403 throws {@link ApiToken.Rejected}. */
  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return ApiToken.send(http, request, token);
  }
}
