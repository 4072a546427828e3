package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.auth.Role;

/**
 * The document against the real route tree ({@link ApiTestBase}), both ways: every described path
 * and method answers (not a 405, not the route tree's own 404); every other method on a described
 * path is 405 and nothing answers below a described path; every path literal of {@link ApiRoutes}
 * and {@link ApiDocsRoutes} is a segment of a described path; the query parameters are the ones the
 * query routes take; the roles a route admits are the roles the document names.
 */
class OpenApiRoutesTest extends ApiTestBase {

  private static final List<String> PROBED = List.of("GET", "POST", "PUT", "DELETE", "PATCH");

  /** The route tree's own 404 (no route matched) has no problem slug; a resource's 404 has one. */
  private static final String ROUTE_MISS = "about:blank";

  private final OpenApiDocument doc = OpenApiDocument.load();

  @Test
  void everyDescribedOperationAnswers() {
    List<String> failures = new ArrayList<>();
    for (OpenApiDocument.Operation op : doc.operations()) {
      Resp r = send(describedRequest(op, InMemoryTokens.ADMIN_TOKEN));
      if (r.status() == 405 || isRouteMiss(r)) {
        failures.add(op + " -> " + r);
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void everyOtherMethodOnADescribedPathIs405AndNothingAnswersBelowIt() {
    List<String> failures = new ArrayList<>();
    for (String template : doc.templates()) {
      JsonNode item = doc.root.get("paths").get(template);
      String path = OpenApiDocument.fill(template);
      for (String method : PROBED) {
        if (!item.has(method.toLowerCase(Locale.ROOT))) {
          Resp r = method(method, path);
          if (r.status() != 405) {
            failures.add(method + " " + template + " is not described but answers " + r);
          }
        }
      }
      String below = path + "/undescribed";
      for (String method : doc.describes(below) ? List.<String>of() : PROBED) {
        Resp r = method(method, below);
        if (!isRouteMiss(r) && r.status() != 405) {
          failures.add(method + " " + template + "/undescribed answers " + r);
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void everyPathLiteralOfTheRouteTreeIsDescribed() throws IOException {
    Set<String> described = new TreeSet<>();
    for (String template : doc.templates()) {
      described.addAll(List.of(template.split("/")));
    }
    Set<String> literals = new TreeSet<>();
    Pattern literal =
        Pattern.compile(
            "(?:path|pathPrefix|segment|slash)\\(\\s*\"([^\"]+)\""); // calls may wrap after "("
    for (String source : List.of("ApiRoutes.java", "ApiDocsRoutes.java")) {
      Matcher m =
          literal.matcher(
              Files.readString(Path.of("src/main/java/org/sensorcluster/http", source)));
      while (m.find()) {
        literals.add(m.group(1));
      }
    }
    assertTrue(
        literals.containsAll(
            Set.of("metrics", "sensors", "readings", "admin", "tokens", "openapi.json")),
        literals::toString);
    literals.removeAll(described);
    literals.remove("swagger-initializer.js"); // a file of /api/docs/{file}
    assertEquals(Set.of(), literals, "path literals of the route tree in no described path");
  }

  @Test
  void theRolesOfEveryOperationAreTheRolesTheRouteAdmits() {
    List<String> failures = new ArrayList<>();
    for (Role role : Role.values()) {
      String token = tokens.issue(role, "");
      for (OpenApiDocument.Operation op : doc.operations()) {
        JsonNode roles = op.node().get("x-roles");
        if (roles == null) {
          continue;
        }
        boolean admitted = false;
        for (JsonNode r : roles) {
          admitted |= r.textValue().equals(role.wireName());
        }
        Resp r = send(describedRequest(op, token));
        boolean forbidden = r.status() == 403 && r.body().contains("may not do this");
        if (admitted == forbidden) {
          failures.add(op + " with a " + role.wireName() + " token -> " + r);
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  /**
   * The query routes refuse an unknown parameter with a 400 naming the ones they take: those must
   * be the described query parameters, neither more nor fewer.
   */
  @Test
  void theQueryParametersOfEveryOperationAreTheOnesTheRouteTakes() {
    Pattern takes = Pattern.compile("this endpoint takes \\[([^\\]]*)\\]");
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (OpenApiDocument.Operation op : doc.operations()) {
      Set<String> described = new TreeSet<>();
      for (JsonNode p : op.node().path("parameters")) {
        JsonNode param = doc.deref(p);
        if (param.get("in").textValue().equals("query")) {
          described.add(param.get("name").textValue());
        }
      }
      Resp r = method(op.method(), op.path() + "?undescribed-parameter=1");
      Matcher m = takes.matcher(r.status() == 400 ? r.body() : "");
      if (!m.find()) {
        continue; // a route that ignores unknown parameters
      }
      checked++;
      Set<String> taken = new TreeSet<>(List.of(m.group(1).split(",\\s*")));
      if (!taken.equals(described)) {
        failures.add(op + " takes " + taken + ", described " + described);
      }
    }
    assertTrue(checked >= 5, "the query routes were not found: " + checked);
    assertEquals(List.of(), failures);
  }

  /** The operation's request with the document's own example body, when it has one. */
  private HttpRequest describedRequest(OpenApiDocument.Operation op, String token) {
    HttpRequest.Builder b = anonymous(base, op.path()).header("Authorization", "Bearer " + token);
    JsonNode example = op.node().at("/requestBody/content/application~1json/example");
    if (example.isMissingNode()) {
      return b.method(op.method(), HttpRequest.BodyPublishers.noBody()).build();
    }
    return b.header("Content-Type", JSON)
        .method(op.method(), HttpRequest.BodyPublishers.ofString(example.toString()))
        .build();
  }

  private static boolean isRouteMiss(Resp r) {
    return r.status() == 404
        && (!r.contentType().startsWith(PROBLEM_JSON)
            || ROUTE_MISS.equals(r.json().path("type").asText()));
  }

  static {
    assertNotEquals(ROUTE_MISS, PROBLEM_TYPE_BASE);
  }
}
