package org.sensorcluster.loadgen;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's HTTP API as {@link FootprintProbe} uses it: readings for many distinct sensors, single
 * readings, reads and the {@code /metrics} scrape, each with the token, if any.
 */
final class FootprintNode {

  private final NodeHttp http;

  FootprintNode(String url, String token) {
    this.http = new NodeHttp(url, token, Duration.ofSeconds(5));
  }

  /**
   * Sends one reading to each of {@code n} sensors prefix+from.., 500 per NDJSON batch, one batch
   * at a time, at most {@code rate} sensors/s. A 503 (new sensors recovering slower than they
   * arrive), or a 429 (a device token over its quota), is retried with the same readingIds after
   * its Retry-After, which is safe; retries are counted.
   */
  long sendDistinct(String prefix, long from, long n, int rate) throws Exception {
    int batch = 500;
    long started = System.nanoTime();
    long retries = 0;
    for (long i = 0; i < n; i += batch) {
      long count = Math.min(batch, n - i);
      StringBuilder b = new StringBuilder((int) count * 48);
      for (long k = 0; k < count; k++) {
        b.append("{\"sensorId\":\"")
            .append(prefix)
            .append(from + i + k)
            .append("\",\"readingId\":\"fp\",\"value\":1}\n");
      }
      if (rate != Integer.MAX_VALUE) {
        long due = started + (long) ((i + count) * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      HttpRequest request =
          http.request("/api/v1/readings")
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/x-ndjson")
              .POST(HttpRequest.BodyPublishers.ofString(b.toString()))
              .build();
      for (int attempt = 0; ; attempt++) {
        HttpResponse<String> r = http.send(request);
        if ((r.statusCode() == 503 || r.statusCode() == 429) && attempt < 20) {
          retries++;
          Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
          continue;
        }
        check(r);
        break;
      }
    }
    if (retries > 0) {
      System.err.println("  (" + retries + " batch(es) answered 503 or 429 and were resent)");
    }
    return retries;
  }

  private static void check(HttpResponse<String> r) {
    if (r.statusCode() != 202) {
      String body = r.body();
      throw new IllegalStateException(
          "ingest answered "
              + r.statusCode()
              + ": "
              + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
    }
  }

  void post(String path, String json) {
    try {
      HttpResponse<String> r =
          http.send(
              http.request(path)
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build());
      check(r);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String get(String path) throws IOException, InterruptedException {
    return http.send(http.request(path).timeout(Duration.ofSeconds(30)).GET().build()).body();
  }

  /** One unlabelled series of the node's /metrics (NaN when absent). */
  double metric(String series) throws IOException, InterruptedException {
    String scrape = get("/metrics");
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }
}
