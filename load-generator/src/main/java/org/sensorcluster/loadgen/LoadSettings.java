package org.sensorcluster.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What one open-loop run of {@link LoadGenerator} does. {@code requestsPerSecond} is the total
 * arrival rate of requests over all connections (readings/s = requests/s x readingsPerRequest); on
 * the command line either {@code --rate} (requests/s) or {@code --reading-rate} (readings/s).
 */
public record LoadSettings(
    URI url,
    Mode mode,
    int sensors,
    int readingsPerRequest,
    int connections,
    double requestsPerSecond,
    Duration warmup,
    Duration duration,
    String sensorPrefix,
    String runId,
    Duration timeout,
    Path record,
    Path jsonOut,
    String label,
    MaxRateSearch.Settings findMax,
    String token) {

  /** Which endpoint and body format. */
  public enum Mode {
    /** POST /api/v1/sensors/{id}/readings: one reading object (or an array for one sensor). */
    SINGLE,
    /** POST /api/v1/readings, Content-Type application/json: an array over many sensors. */
    ARRAY,
    /** POST /api/v1/readings, Content-Type application/x-ndjson: one object a line. */
    NDJSON;

    static Mode parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "single" -> SINGLE;
        case "array", "batch" -> ARRAY;
        case "ndjson" -> NDJSON;
        default ->
            throw new IllegalArgumentException("--mode must be single, array or ndjson, got " + s);
      };
    }
  }

  public LoadSettings {
    if (url == null || url.getHost() == null || !"http".equals(url.getScheme())) {
      throw new IllegalArgumentException("--url must be http://HOST:PORT, got " + url);
    }
    if (sensors < 1) throw new IllegalArgumentException("--sensors must be >= 1");
    if (readingsPerRequest < 1)
      throw new IllegalArgumentException("--readings-per-request must be >= 1");
    if (connections < 1) throw new IllegalArgumentException("--connections must be >= 1");
    if (findMax == null && !(requestsPerSecond > 0)) {
      throw new IllegalArgumentException(
          "--rate or --reading-rate must be > 0 (or use --find-max)");
    }
    if (warmup.isNegative()) throw new IllegalArgumentException("--warmup must be >= 0");
    if (duration.isNegative() || duration.isZero())
      throw new IllegalArgumentException("--duration must be > 0");
    if (timeout.isNegative() || timeout.isZero())
      throw new IllegalArgumentException("--timeout must be > 0");
    if (sensorPrefix == null || !sensorPrefix.chars().allMatch(LoadSettings::sensorIdChar)) {
      throw new IllegalArgumentException("--sensor-prefix may only contain A-Z a-z 0-9 . _ : -");
    }
    if (runId == null
        || runId.isEmpty()
        || !runId.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\')) {
      throw new IllegalArgumentException(
          "--run-id must be printable ASCII without spaces, quotes or backslashes");
    }
    if (token != null) ApiToken.check(token);
  }

  /** Like the generated one, but never shows the token. */
  @Override
  public String toString() {
    return "LoadSettings[url="
        + url
        + ", mode="
        + mode
        + ", sensors="
        + sensors
        + ", readingsPerRequest="
        + readingsPerRequest
        + ", connections="
        + connections
        + ", requestsPerSecond="
        + requestsPerSecond
        + ", warmup="
        + warmup
        + ", duration="
        + duration
        + ", sensorPrefix="
        + sensorPrefix
        + ", runId="
        + runId
        + ", timeout="
        + timeout
        + ", record="
        + record
        + ", jsonOut="
        + jsonOut
        + ", label="
        + label
        + ", findMax="
        + findMax
        + ", token="
        + (token == null ? "none" : "(set)")
        + "]";
  }

  /** The characters the API allows in a sensor id. */
  private static boolean sensorIdChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == ':'
        || c == '-';
  }

  public int port() {
    return url.getPort() > 0 ? url.getPort() : 80;
  }

  public double readingsPerSecond() {
    return requestsPerSecond * readingsPerRequest;
  }

  public LoadSettings withRequestsPerSecond(double rate) {
    return new LoadSettings(
        url,
        mode,
        sensors,
        readingsPerRequest,
        connections,
        rate,
        warmup,
        duration,
        sensorPrefix,
        runId,
        timeout,
        record,
        jsonOut,
        label,
        findMax,
        token);
  }

  public LoadSettings withTiming(Duration newWarmup, Duration newDuration) {
    return new LoadSettings(
        url,
        mode,
        sensors,
        readingsPerRequest,
        connections,
        requestsPerSecond,
        newWarmup,
        newDuration,
        sensorPrefix,
        runId,
        timeout,
        record,
        jsonOut,
        label,
        findMax,
        token);
  }

  public LoadSettings withRunId(String id) {
    return new LoadSettings(
        url,
        mode,
        sensors,
        readingsPerRequest,
        connections,
        requestsPerSecond,
        warmup,
        duration,
        sensorPrefix,
        id,
        timeout,
        record,
        jsonOut,
        label,
        findMax,
        token);
  }
}
