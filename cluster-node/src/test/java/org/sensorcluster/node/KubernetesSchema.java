package org.sensorcluster.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Offline validation of Kubernetes objects against the Kubernetes API types, as generated from the
 * API's OpenAPI description into fabric8's typed model (no JSON schema of the API ships in any jar
 * reachable here). Each YAML document is read into the class its {@code apiVersion}/{@code kind}
 * names, with Jackson's lenient coercions off, so:
 *
 * <ul>
 *   <li>an apiVersion/kind the model does not know (or one Kubernetes 1.32 no longer serves) fails;
 *   <li>a value of the wrong type fails ({@code containerPort: "abc"}, and also {@code "8080"}: the
 *       API server does not turn strings into integers either, nor numbers into strings);
 *   <li>a field the type does not have lands in the model's {@code additionalProperties} and is
 *       reported with its path ({@code spec.replica}).
 * </ul>
 *
 * Not checked (the typed model does not carry them): required fields, enum values, string formats
 * and the API server's own validation (e.g. label syntax); the semantic checks in
 * KubernetesManifestsTest cover what matters of those for k8s/.
 */
final class KubernetesSchema {

  /**
   * One object of the input: its document number, the raw tree and, if it validated, the typed
   * value.
   */
  record Parsed(int document, JsonNode raw, HasMetadata typed) {
    String describe() {
      return describe(document, raw);
    }

    static String describe(int document, JsonNode raw) {
      return "document "
          + document
          + " ("
          + raw.path("kind").asText("?")
          + " "
          + raw.path("metadata").path("name").asText("?")
          + ")";
    }
  }

  /** What {@link #validate} found: every object it could read, and every violation. */
  record Result(List<Parsed> objects, List<String> violations) {}

  /** apiVersion values removed from Kubernetes by 1.32 (the model still has classes for some). */
  private static final Set<String> REMOVED_API_VERSIONS =
      Set.of(
          "extensions/v1beta1",
          "apps/v1beta1",
          "apps/v1beta2",
          "policy/v1beta1",
          "autoscaling/v2beta1",
          "autoscaling/v2beta2",
          "batch/v1beta1",
          "rbac.authorization.k8s.io/v1beta1",
          "networking.k8s.io/v1beta1",
          "flowcontrol.apiserver.k8s.io/v1beta1",
          "flowcontrol.apiserver.k8s.io/v1beta2");

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private static final ObjectMapper STRICT = strictMapper();

  private static final Map<String, Class<? extends HasMetadata>> TYPES = typesOnClasspath();

  private KubernetesSchema() {}

  /** Reads every YAML document of {@code yaml} and validates each as a Kubernetes object. */
  static Result validate(String yaml) {
    List<Parsed> objects = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    List<JsonNode> documents;
    try {
      documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
    } catch (IOException e) {
      violations.add("not valid YAML: " + e.getMessage());
      return new Result(objects, violations);
    }
    int n = 0;
    for (JsonNode doc : documents) {
      n++;
      if (doc == null || doc.isNull() || doc.isMissingNode()) {
        continue;
      }
      String where = Parsed.describe(n, doc);
      if (!doc.isObject()) {
        violations.add(where + ": not a mapping");
        continue;
      }
      String apiVersion = doc.path("apiVersion").asText("");
      String kind = doc.path("kind").asText("");
      if (apiVersion.isEmpty() || kind.isEmpty()) {
        violations.add(where + ": apiVersion and kind are required");
        continue;
      }
      if (REMOVED_API_VERSIONS.contains(apiVersion)) {
        violations.add(where + ": " + apiVersion + " is no longer served by Kubernetes");
        continue;
      }
      Class<? extends HasMetadata> type = TYPES.get(apiVersion + "|" + kind);
      if (type == null) {
        violations.add(where + ": unknown apiVersion/kind " + apiVersion + " " + kind);
        continue;
      }
      if (doc.path("metadata").path("name").asText("").isEmpty()) {
        violations.add(where + ": metadata.name is required");
      }
      HasMetadata typed;
      try {
        typed = STRICT.treeToValue(doc, type);
      } catch (JsonMappingException e) {
        violations.add(where + ": " + path(e) + ": " + e.getOriginalMessage());
        continue;
      } catch (JsonProcessingException e) {
        violations.add(where + ": " + e.getOriginalMessage());
        continue;
      }
      List<String> unknown = new ArrayList<>();
      unknownFields(typed, "", unknown, Collections.newSetFromMap(new IdentityHashMap<>()));
      for (String field : unknown) {
        violations.add(where + ": unknown field " + field);
      }
      objects.add(new Parsed(n, doc, typed));
    }
    return new Result(objects, violations);
  }

  /** The API types known to the model on the test classpath, by "apiVersion|kind". */
  static Map<String, Class<? extends HasMetadata>> types() {
    return TYPES;
  }

  // ---- internals ----

  private static ObjectMapper strictMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            // "8080" for an integer, "true" for a boolean: refused, as the API server refuses them.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    // ... and 8080 or true where a string belongs (label and annotation values, ConfigMap data).
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }

  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.isEmpty() ? "(top level)" : out.toString();
  }

  /**
   * Walks a model object's properties (by their JSON names) and reports every entry of a non-empty
   * {@code additionalProperties}: the model's catch-all for fields its type does not declare.
   */
  private static void unknownFields(Object value, String path, List<String> out, Set<Object> seen) {
    if (value == null || !seen.add(value)) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        unknownFields(e.getValue(), path + "[" + e.getKey() + "]", out, seen);
      }
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        unknownFields(item, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    if (!(value instanceof KubernetesResource)
        && !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model.")) {
      return;
    }
    BeanDescription bean =
        STRICT.getSerializationConfig().introspect(STRICT.constructType(value.getClass()));
    for (BeanPropertyDefinition property : bean.findProperties()) {
      AnnotatedMember getter = property.getAccessor();
      if (getter == null) {
        continue;
      }
      Object child;
      try {
        child = getter.getValue(value);
      } catch (RuntimeException e) {
        continue;
      }
      String name = property.getName();
      if (name.equals("additionalProperties")) {
        reportAdditional(child, path, out);
      } else {
        unknownFields(child, path.isEmpty() ? name : path + "." + name, out, seen);
      }
    }
    AnnotatedMember anyGetter = bean.findAnyGetter();
    if (anyGetter != null) {
      reportAdditional(anyGetter.getValue(value), path, out);
    }
  }

  private static void reportAdditional(Object additional, String path, List<String> out) {
    if (additional instanceof Map<?, ?> map) {
      for (Object key : map.keySet()) {
        String field = path.isEmpty() ? String.valueOf(key) : path + "." + key;
        if (!out.contains(field)) {
          out.add(field);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Class<? extends HasMetadata>> typesOnClasspath() {
    Map<String, Class<? extends HasMetadata>> out = new TreeMap<>();
    ClassLoader loader = KubernetesSchema.class.getClassLoader();
    try {
      Enumeration<URL> lists =
          loader.getResources("META-INF/services/" + KubernetesResource.class.getName());
      while (lists.hasMoreElements()) {
        URL list = lists.nextElement();
        try (BufferedReader in =
            new BufferedReader(new InputStreamReader(list.openStream(), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            String name = line.replaceAll("#.*", "").strip();
            if (name.isEmpty()) {
              continue;
            }
            Class<?> c;
            try {
              c = Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
              continue;
            }
            if (HasMetadata.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
              Class<? extends HasMetadata> type = (Class<? extends HasMetadata>) c;
              out.put(HasMetadata.getApiVersion(type) + "|" + HasMetadata.getKind(type), type);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no Kubernetes model types on the classpath");
    }
    return out;
  }
}
