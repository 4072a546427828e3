package org.sensorcluster.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.sensorcluster.domain.InvalidInputException;
import org.sensorcluster.domain.Location;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.Thresholds;

/**
 * Reads the body of {@code PUT /api/v1/sensors/{id}}. Shape errors (not JSON, wrong types, unknown
 * members) are {@link MalformedJsonException} (400); values breaking a rule are {@link
 * InvalidInputException} (422).
 */
final class MetadataJson {

  private static final Set<String> TOP =
      Set.of("name", "type", "unit", "location", "labels", "thresholds", "expectedInterval");
  private static final Set<String> LOCATION = Set.of("lat", "lon");
  private static final Set<String> THRESHOLDS = Set.of("min", "max", "hysteresis");

  private MetadataJson() {}

  static SensorMetadata parse(byte[] body) throws MalformedJsonException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new MalformedJsonException("the body could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedJsonException("the body must be a JSON object of sensor metadata");
    }
    onlyKnown(root, TOP, "");
    return new SensorMetadata(
        text(root, "name"),
        text(root, "type"),
        text(root, "unit"),
        location(root.get("location")),
        labels(root.get("labels")),
        thresholds(root.get("thresholds")),
        expectedInterval(root));
  }

  /**
   * An ISO-8601 duration such as {@code PT5M} (bounds: {@link
   * SensorMetadata#checkExpectedInterval}).
   */
  private static Duration expectedInterval(JsonNode root) throws MalformedJsonException {
    String text = text(root, "expectedInterval");
    if (text == null) {
      return null;
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(
          "expectedInterval must be an ISO-8601 duration such as PT5M or P1D; got '"
              + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
              + "'");
    }
  }

  private static void onlyKnown(JsonNode object, Set<String> known, String prefix)
      throws MalformedJsonException {
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!known.contains(n)) {
        throw new MalformedJsonException(
            "unknown member '" + prefix + n + "'; known: " + new java.util.TreeSet<>(known));
      }
    }
  }

  private static String text(JsonNode parent, String field) throws MalformedJsonException {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new MalformedJsonException(field + " must be a string");
    }
    return n.textValue();
  }

  private static Double number(JsonNode parent, String field, String path)
      throws MalformedJsonException {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber()) {
      throw new MalformedJsonException(path + " must be a number");
    }
    return n.doubleValue();
  }

  private static Location location(JsonNode n) throws MalformedJsonException {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw new MalformedJsonException("location must be an object {\"lat\", \"lon\"}");
    }
    onlyKnown(n, LOCATION, "location.");
    Double lat = number(n, "lat", "location.lat");
    Double lon = number(n, "lon", "location.lon");
    if (lat == null || lon == null) {
      throw new InvalidInputException("location needs both lat and lon");
    }
    return new Location(lat, lon);
  }

  private static Map<String, String> labels(JsonNode n) throws MalformedJsonException {
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw new MalformedJsonException("labels must be an object of string values");
    }
    if (n.size() > SensorMetadata.MAX_LABELS) {
      throw new InvalidInputException(
          "at most " + SensorMetadata.MAX_LABELS + " labels are allowed");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (!e.getValue().isTextual()) {
        throw new MalformedJsonException("label '" + e.getKey() + "' must have a string value");
      }
      labels.put(e.getKey(), e.getValue().textValue());
    }
    return labels;
  }

  private static Thresholds thresholds(JsonNode n) throws MalformedJsonException {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw new MalformedJsonException(
          "thresholds must be an object {\"min\", \"max\", \"hysteresis\"}");
    }
    onlyKnown(n, THRESHOLDS, "thresholds.");
    Double min = number(n, "min", "thresholds.min");
    Double max = number(n, "max", "thresholds.max");
    Double hysteresis = number(n, "hysteresis", "thresholds.hysteresis");
    if (min == null && max == null) {
      throw new InvalidInputException("thresholds need min, max or both");
    }
    return new Thresholds(min, max, hysteresis == null ? 0 : hysteresis);
  }
}
