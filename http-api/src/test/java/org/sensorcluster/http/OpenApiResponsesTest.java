package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.AlertBound;
import org.sensorcluster.domain.Location;
import org.sensorcluster.domain.OpenAlert;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.Thresholds;
import org.sensorcluster.domain.view.AlertView;
import org.sensorcluster.domain.view.DeadLetter;
import org.sensorcluster.domain.view.FleetStats;
import org.sensorcluster.domain.view.ProjectionStatus;
import org.sensorcluster.domain.view.Series;
import org.sensorcluster.domain.view.Step;

/**
 * Real answers of the route tree ({@link ApiTestBase}, fakes filled with a sensor, an alert, a
 * series, stats and read-model statuses) validate against the document: the status is one the
 * operation describes, the content type is the described one and the body validates (JSON Schema
 * 2020-12, networknt json-schema-validator) against the described schema. Covers every operation's
 * success and the common failures (401, 400, 404, 405, 413, 415, 422).
 */
class OpenApiResponsesTest extends ApiTestBase {

  private static final Instant T = NOW.minusSeconds(600);
  private static final Thresholds LIMITS = new Thresholds(0.0, 10.0, 0.5);

  private final OpenApiDocument doc = OpenApiDocument.load();
  private final SchemaRegistry schemas =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  @BeforeEach
  void fillTheFakes() {
    Reading last = new Reading("r-9", T, 11);
    SensorMetadata metadata =
        new SensorMetadata(
            "Room 1",
            "temperature",
            "Cel",
            new Location(52.5, 13.4),
            Map.of("site", "berlin-1"),
            LIMITS);
    queries.put(
        new SensorSummary(
            "room-1",
            9,
            last,
            T,
            9,
            metadata,
            new OpenAlert(1, AlertBound.ABOVE_MAX, last, LIMITS, T),
            null));
    queries.put(new SensorSummary("room-2", 1, new Reading(null, T, 1), T, 1, null, null, null));
    queries.putAlert(
        new AlertView("room-1", 1, AlertBound.ABOVE_MAX, T, 11, T, LIMITS, null, null));
    queries.putAlert(
        new AlertView("room-2", 1, AlertBound.BELOW_MIN, T, -1, T, LIMITS, T.plusSeconds(5), 2.0));
    queries.series(
        new Series("room-1", Step.RAW, T, NOW, List.of(new Series.Point(T, 11)), List.of(), false));
    queries.stats(new FleetStats(2, 0, Map.of("temperature", 1L), 1, 3, 9, NOW));
    admin.deadLetter(LETTER);
    admin.status(
        new ProjectionStatus("readings", "sensor-5", 3, "running", 120, 130, 10, 250, 4000.5));
  }

  private static final DeadLetter LETTER =
      new DeadLetter(
          "alerts",
          "alerts-g1",
          1,
          "sensor-3",
          "sensor-room-1",
          7,
          42,
          "division by zero",
          NOW.toEpochMilli());

  @Test
  void everyOperationsAnswerIsDescribedAndValidates() {
    List<String> failures = new ArrayList<>();
    List<OpenApiDocument.Operation> ops = new ArrayList<>(doc.operations());
    ops.sort(java.util.Comparator.comparing(o -> o.method().equals("DELETE"))); // decommission last
    for (OpenApiDocument.Operation op : ops) {
      if (op.path().startsWith("/api/docs")) {
        continue; // HTML, scripts and styles: OpenApiDocumentTest
      }
      if (op.path().contains("/dead-letters/")) {
        admin.deadLetter(LETTER); // retrying and discarding each take it away
      }
      Resp r = send(described(op));
      if (r.status() >= 300 && !op.path().equals("/api/v1/admin/tokens/t-unknown")) {
        failures.add(op + " did not succeed: " + r);
      }
      check(op, r, failures);
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void revokingATokenValidates() {
    String id =
        tokens
            .create(
                org.sensorcluster.domain.auth.Role.READER,
                "",
                null,
                org.sensorcluster.domain.auth.QuotaOverrides.NONE)
            .toCompletableFuture()
            .join()
            .info()
            .id();
    List<String> failures = new ArrayList<>();
    check(
        operation("DELETE", "/api/v1/admin/tokens/{tokenId}"),
        delete("/api/v1/admin/tokens/" + id),
        failures);
    assertEquals(List.of(), failures);
  }

  @Test
  void bucketedSeriesValidates() {
    queries.series(
        new Series(
            "room-1",
            Step.MINUTE,
            T,
            NOW,
            List.of(),
            List.of(new Series.Bucket(T, 3, 1, 2, 1.5)),
            true));
    List<String> failures = new ArrayList<>();
    check(
        operation("GET", "/api/v1/sensors/{id}/readings"),
        get("/api/v1/sensors/room-1/readings?step=1m"),
        failures);
    assertEquals(List.of(), failures);
  }

  @Test
  void compressedBodiesEpochTimestampsAndCsvAreDescribed() throws Exception {
    List<String> failures = new ArrayList<>();
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
      gz.write(
          "{\"readingId\":\"z-1\",\"timestamp\":1768478340000,\"value\":2}"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    OpenApiDocument.Operation single = operation("POST", "/api/v1/sensors/{id}/readings");
    Resp gzipped =
        send(
            request(base, "/api/v1/sensors/room-1/readings")
                .header("Content-Type", JSON)
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray()))
                .build());
    assertEquals(202, gzipped.status(), gzipped::toString);
    check(single, gzipped, failures);
    check(
        single,
        send(
            request(base, "/api/v1/sensors/room-1/readings")
                .header("Content-Type", JSON)
                .header("Content-Encoding", "br")
                .POST(HttpRequest.BodyPublishers.ofString("{\"value\":1}"))
                .build()),
        failures);
    check(
        single,
        send(
            request(base, "/api/v1/sensors/room-1/readings")
                .header("Content-Type", JSON)
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("not gzip"))
                .build()),
        failures);
    Resp csv =
        send(
            request(base, "/api/v1/sensors/room-1/readings")
                .header("Accept", "text/csv")
                .GET()
                .build());
    assertEquals(200, csv.status(), csv::toString);
    check(operation("GET", "/api/v1/sensors/{id}/readings"), csv, failures);
    assertEquals(List.of(), failures);
  }

  @Test
  void failuresAreDescribedAndValidate() {
    List<String> failures = new ArrayList<>();
    OpenApiDocument.Operation single = operation("POST", "/api/v1/sensors/{id}/readings");
    OpenApiDocument.Operation batch = operation("POST", "/api/v1/readings");
    OpenApiDocument.Operation sensor = operation("GET", "/api/v1/sensors/{id}");
    check(
        operation("GET", "/api/v1/stats"),
        send(anonymous(base, "/api/v1/stats").GET().build()),
        failures);
    check(sensor, get("/api/v1/sensors/bad%20id"), failures);
    check(sensor, get("/api/v1/sensors/nobody"), failures);
    check(sensor, get("/api/v1/sensors/room-1?consistency=sometimes"), failures);
    check(sensor, method("PATCH", "/api/v1/sensors/room-1"), failures);
    check(single, post("/api/v1/sensors/room-1/readings", "text/plain", "1"), failures);
    check(single, postJson("/api/v1/sensors/room-1/readings", "{\"value\":\"x\"}"), failures);
    check(single, postJson("/api/v1/sensors/room-1/readings", "{\"readingId\":\"r-1\"}"), failures);
    check(
        single,
        postJson(
            "/api/v1/sensors/room-1/readings",
            "[" + "{\"value\":1},".repeat(200) + "{\"value\":1}]"),
        failures);
    check(batch, postJson("/api/v1/readings", "[{\"sensorId\":\"bad id\",\"value\":1}]"), failures);
    check(
        operation("POST", "/api/v1/admin/tokens"),
        postJson("/api/v1/admin/tokens", "{\"role\":\"king\"}"),
        failures);
    assertEquals(List.of(), failures);
  }

  private void check(OpenApiDocument.Operation op, Resp r, List<String> failures) {
    JsonNode described = op.node().get("responses").get(Integer.toString(r.status()));
    if (described == null) {
      failures.add(op + " answered an undescribed " + r);
      return;
    }
    JsonNode content = doc.deref(described).get("content");
    if (content == null) {
      if (!r.body().isEmpty()) {
        failures.add(op + " " + r.status() + " is described without a body but has one: " + r);
      }
      return;
    }
    String type = mediaType(r);
    JsonNode media = content.get(type);
    if (media == null) {
      failures.add(
          op + " " + r.status() + " answered " + type + ", described: " + content.properties());
      return;
    }
    if (!type.endsWith("json")) {
      return;
    }
    List<Error> errors = schemaOf(media.get("schema")).validate(r.body(), InputFormat.JSON);
    if (!errors.isEmpty()) {
      failures.add(op + " " + r.status() + ": " + errors + " in " + r.body());
    }
  }

  /** The schema with the document's components beside it, so that its $refs resolve. */
  private Schema schemaOf(JsonNode schema) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.set("components", doc.root.get("components"));
    root.putArray("allOf").add(schema);
    return schemas.getSchema(root.toString(), InputFormat.JSON);
  }

  private OpenApiDocument.Operation operation(String method, String template) {
    return doc.operations().stream()
        .filter(o -> o.method().equals(method) && o.template().equals(template))
        .findFirst()
        .orElseThrow(() -> new AssertionError(method + " " + template + " is not described"));
  }

  private HttpRequest described(OpenApiDocument.Operation op) {
    HttpRequest.Builder b = request(base, op.path());
    JsonNode example = op.node().at("/requestBody/content/application~1json/example");
    if (example.isMissingNode()) {
      return b.method(op.method(), HttpRequest.BodyPublishers.noBody()).build();
    }
    return b.header("Content-Type", JSON)
        .method(
            op.method().toUpperCase(Locale.ROOT),
            HttpRequest.BodyPublishers.ofString(example.toString()))
        .build();
  }

  @Test
  void theValidatorRejectsWhatTheSchemasForbid() {
    Schema ack =
        schemaOf(
            doc.root.at(
                "/components/responses/BadRequest/content/application~1problem+json/schema"));
    assertTrue(
        ack.validate(
                "{\"type\":\"x\",\"title\":\"t\",\"status\":400,\"detail\":\"d\"}",
                InputFormat.JSON)
            .isEmpty());
    assertFalse(ack.validate("{\"title\":\"t\",\"status\":400}", InputFormat.JSON).isEmpty());
    Schema sensor = schemaOf(MAPPER.createObjectNode().put("$ref", "#/components/schemas/Sensor"));
    assertFalse(
        sensor.validate("{\"sensorId\":\"a\",\"unexpected\":1}", InputFormat.JSON).isEmpty());
  }
}
