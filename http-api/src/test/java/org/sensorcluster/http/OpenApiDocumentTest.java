package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The document itself: valid OpenAPI 3.1 (swagger-parser), every status code of README.md's Errors
 * table described with the headers the README promises, every /api/v1 route behind the bearer
 * scheme with its roles, and served (with Swagger UI) without a token.
 */
class OpenApiDocumentTest extends ApiTestBase {

  private final OpenApiDocument doc = OpenApiDocument.load();

  @Test
  void parsesAsValidOpenApi31() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    SwaggerParseResult result = new OpenAPIParser().readContents(doc.text, null, options);
    assertNotNull(result.getOpenAPI(), () -> "not parsed: " + result.getMessages());
    assertEquals(List.of(), result.getMessages());
    assertEquals(SpecVersion.V31, result.getOpenAPI().getSpecVersion());
    assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
  }

  @Test
  void everyStatusOfTheReadmeErrorsTableIsDescribed() throws IOException {
    Set<String> readme = readmeErrorStatuses();
    assertTrue(
        readme.size() >= 12,
        () -> "the Errors table of docs/http-api.md was not found whole: " + readme);
    Set<String> described = new TreeSet<>();
    for (OpenApiDocument.Operation op : doc.operations()) {
      op.node().get("responses").fieldNames().forEachRemaining(described::add);
    }
    Set<String> missing = new TreeSet<>(readme);
    missing.removeAll(described);
    assertEquals(
        Set.of(),
        missing,
        "statuses of docs/http-api.md's Errors table that no operation describes");
  }

  @Test
  void errorsAreProblemJsonWithTheHeadersTheReadmePromises() {
    JsonNode responses = doc.root.at("/components/responses");
    responses
        .properties()
        .forEach(
            e ->
                assertTrue(
                    e.getValue()
                        .at("/content/application~1problem+json/schema/$ref")
                        .textValue()
                        .endsWith("/Problem"),
                    e::getKey));
    assertTrue(responses.at("/Unauthorized/headers").has("WWW-Authenticate"));
    assertTrue(responses.at("/MethodNotAllowed/headers").has("Allow"));
    assertTrue(responses.at("/TooManyRequests/headers").has("Retry-After"));
    assertTrue(responses.at("/ServiceUnavailable/headers").has("Retry-After"));
    for (OpenApiDocument.Operation op : doc.operations()) {
      op.node()
          .get("responses")
          .properties()
          .forEach(
              r -> {
                if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                  assertTrue(
                      r.getValue().has("$ref"),
                      () -> op + " " + r.getKey() + " is not one of components/responses");
                }
              });
    }
  }

  @Test
  void everyApiV1RouteNeedsABearerTokenExceptTheDocument() {
    assertEquals(
        "bearer", doc.root.at("/components/securitySchemes/bearerAuth/scheme").textValue());
    for (OpenApiDocument.Operation op : doc.operations()) {
      JsonNode security = op.node().get("security");
      boolean open =
          op.template().equals("/metrics")
              || op.template().equals("/api/v1/openapi.json")
              || op.template().startsWith("/api/docs");
      if (open) {
        assertTrue(security != null && security.isEmpty(), () -> op + " must say security: []");
      } else {
        assertTrue(op.template().startsWith("/api/v1/"), op::toString);
        assertEquals(op.node().get("x-roles"), security.get(0).get("bearerAuth"), op::toString);
        assertFalse(security.get(0).get("bearerAuth").isEmpty(), () -> op + " names no role");
      }
    }
  }

  @Test
  void theDocumentAndSwaggerUiAreServedWithoutAToken() {
    Resp document = send(anonymous(base, "/api/v1/openapi.json").GET().build());
    assertEquals(200, document.status(), document::toString);
    assertEquals(JSON, mediaType(document));
    assertEquals(doc.root, document.json());

    Resp page = send(anonymous(base, "/api/docs").GET().build());
    assertEquals(200, page.status(), page::toString);
    assertEquals("text/html", mediaType(page));
    Matcher scripts = Pattern.compile("(?:src|href)=\"(/api/docs/[^\"]+)\"").matcher(page.body());
    int assets = 0;
    while (scripts.find()) {
      Resp asset = send(anonymous(base, scripts.group(1)).GET().build());
      assertEquals(200, asset.status(), () -> scripts.group(1) + ": " + asset.status());
      assets++;
    }
    assertTrue(assets >= 3, "the page loads Swagger UI's scripts and styles from /api/docs/");
    Resp init = send(anonymous(base, "/api/docs/swagger-initializer.js").GET().build());
    assertTrue(init.body().contains("\"/api/v1/openapi.json\""), init::body);
    assertEquals(404, send(anonymous(base, "/api/docs/no-such-file.js").GET().build()).status());
  }

  @Test
  void theRestOfApiV1StillNeedsAToken() {
    assertEquals(401, send(anonymous(base, "/api/v1/stats").GET().build()).status());
    assertEquals(401, send(anonymous(base, "/api/v1/openapi.yaml").GET().build()).status());
  }

  /** The status codes in the first column of the table under "## Errors" in docs/http-api.md. */
  static Set<String> readmeErrorStatuses() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "docs", "http-api.md"));
    Set<String> out = new TreeSet<>();
    boolean inErrors = false;
    Pattern row = Pattern.compile("^\\|\\s*(\\d{3})\\b");
    for (String line : lines) {
      if (line.startsWith("#")) {
        inErrors = line.equals("## Errors");
      } else if (inErrors) {
        Matcher m = row.matcher(line);
        if (m.find()) {
          out.add(m.group(1));
        }
      }
    }
    return out;
  }
}
