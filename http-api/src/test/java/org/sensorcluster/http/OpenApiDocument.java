package org.sensorcluster.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The resource {@code openapi/openapi.json} as the tests read it: its text and its operations. */
final class OpenApiDocument {

  static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  /** Values for the path parameters when a test sends a request to a described path. */
  static final Map<String, String> PATH_VALUES =
      Map.of(
          "id",
          "room-1",
          "name",
          "sensor_latest",
          "tokenId",
          "t-unknown",
          "file",
          "swagger-ui.css",
          "projection",
          "alerts-g1",
          "persistenceId",
          "sensor-room-1",
          "seqNr",
          "7");

  /**
   * One described path and method, with the path's parameters filled in from {@link #PATH_VALUES}.
   */
  record Operation(String template, String method, String path, JsonNode node) {

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  final String text;
  final JsonNode root;

  private OpenApiDocument(String text) throws IOException {
    this.text = text;
    this.root = new ObjectMapper().readTree(text);
  }

  static OpenApiDocument load() {
    try (InputStream in =
        OpenApiDocument.class.getClassLoader().getResourceAsStream(ApiDocsRoutes.DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(ApiDocsRoutes.DOCUMENT + " is not on the classpath");
      }
      return new OpenApiDocument(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> templates() {
    List<String> out = new ArrayList<>();
    root.get("paths").fieldNames().forEachRemaining(out::add);
    return out;
  }

  List<Operation> operations() {
    List<Operation> out = new ArrayList<>();
    for (String template : templates()) {
      JsonNode item = root.get("paths").get(template);
      item.fieldNames()
          .forEachRemaining(
              m -> {
                if (METHODS.contains(m)) {
                  out.add(
                      new Operation(
                          template, m.toUpperCase(Locale.ROOT), fill(template), item.get(m)));
                }
              });
    }
    return out;
  }

  static String fill(String template) {
    String path = template;
    for (Map.Entry<String, String> e : PATH_VALUES.entrySet()) {
      path = path.replace("{" + e.getKey() + "}", e.getValue());
    }
    if (path.contains("{")) {
      throw new IllegalStateException(
          "no test value for a parameter of " + template + " in PATH_VALUES");
    }
    return path;
  }

  /** Whether {@code path} is an instance of a described path template. */
  boolean describes(String path) {
    for (String template : templates()) {
      if (path.matches(template.replaceAll("\\{[^}]+}", "[^/]+"))) {
        return true;
      }
    }
    return false;
  }

  /** Follows a {@code $ref} within the document (one level), else the node itself. */
  JsonNode deref(JsonNode node) {
    JsonNode ref = node.get("$ref");
    return ref == null ? node : root.at(ref.textValue().substring(1));
  }
}
