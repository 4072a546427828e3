package org.sensorcluster.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The part of kustomize that {@code k8s/} uses, in Java: so the manifests tests run on a machine
 * without kubectl (Debian 12 has no kubectl 1.27+ and no kustomize). Supported: {@code resources}
 * (files and directories with a kustomization), {@code secretGenerator} with literals (name suffix
 * hashed as kustomize does), {@code patches} by path (strategic merge, lists of named items merged
 * by name), {@code namespace}, {@code labels} ({@code includeTemplates}, never selectors) and
 * {@code images}. Any other field of a kustomization fails the rendering instead of being ignored.
 * Where kubectl is present, {@code KubernetesManifestsTest} checks that both render every overlay
 * to the same objects.
 */
final class KustomizeSubset {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
  private static final Set<String> FIELDS =
      Set.of(
          "apiVersion",
          "kind",
          "namespace",
          "resources",
          "images",
          "labels",
          "secretGenerator",
          "patches");
  private static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Namespace",
          "ClusterRole",
          "ClusterRoleBinding",
          "CustomResourceDefinition",
          "PersistentVolume",
          "StorageClass",
          "PriorityClass");
  private static final Set<String> WORKLOADS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

  /** Lists whose items a strategic merge patch merges by a key instead of replacing the list. */
  private static final Map<String, String> MERGE_KEYS =
      Map.of(
          "containers",
          "name",
          "initContainers",
          "name",
          "env",
          "name",
          "volumes",
          "name",
          "volumeMounts",
          "mountPath",
          "ports",
          "containerPort");

  private KustomizeSubset() {}

  /** The objects of the kustomization in {@code dir}, as multi-document YAML. */
  static String render(Path dir) {
    StringBuilder out = new StringBuilder();
    for (ObjectNode o : objects(dir)) {
      if (out.length() > 0) {
        out.append("---\n");
      }
      try {
        out.append(YAML.writeValueAsString(o));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString();
  }

  /** The objects of the kustomization in {@code dir}. */
  static List<ObjectNode> objects(Path dir) {
    JsonNode k = read(dir.resolve("kustomization.yaml")).get(0);
    for (Iterator<String> names = k.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            dir
                + "/kustomization.yaml: field '"
                + field
                + "' is not supported by this renderer; render with kubectl (or extend "
                + KustomizeSubset.class.getSimpleName()
                + ")");
      }
    }
    List<ObjectNode> objects = new ArrayList<>();
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText()).normalize();
      if (Files.isDirectory(p)) {
        objects.addAll(objects(p));
      } else {
        objects.addAll(read(p));
      }
    }
    Map<String, String> renamedSecrets = new HashMap<>();
    for (JsonNode g : k.path("secretGenerator")) {
      ObjectNode secret = secret(g);
      renamedSecrets.put(g.path("name").asText(), secret.path("metadata").path("name").asText());
      objects.add(secret);
    }
    for (JsonNode p : k.path("patches")) {
      if (!p.has("path") || p.size() != 1) {
        throw new IllegalArgumentException(
            dir + ": only patches given by path are supported: " + p);
      }
      for (ObjectNode patch : read(dir.resolve(p.path("path").asText()))) {
        merge(target(objects, patch), patch);
      }
    }
    if (k.has("namespace")) {
      setNamespace(objects, k.path("namespace").asText());
    }
    for (JsonNode l : k.path("labels")) {
      addLabels(objects, l);
    }
    for (JsonNode image : k.path("images")) {
      setImage(objects, image);
    }
    for (ObjectNode o : objects) {
      renameSecretReferences(o, renamedSecrets);
    }
    return objects;
  }

  private static List<ObjectNode> read(Path file) {
    try {
      List<ObjectNode> docs = new ArrayList<>();
      try (var it =
          YAML.readerFor(ObjectNode.class).<ObjectNode>readValues(Files.readString(file))) {
        while (it.hasNext()) {
          ObjectNode doc = it.next();
          if (doc != null && !doc.isEmpty()) {
            docs.add(doc);
          }
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  /** A Secret of literals, named {@code <name>-<hash>} with kustomize's content hash. */
  private static ObjectNode secret(JsonNode generator) {
    if (generator.has("files") || generator.has("envs") || generator.has("options")) {
      throw new IllegalArgumentException(
          "only secretGenerator literals are supported: " + generator);
    }
    TreeMap<String, String> data = new TreeMap<>();
    for (JsonNode literal : generator.path("literals")) {
      String s = literal.asText();
      int eq = s.indexOf('=');
      data.put(
          s.substring(0, eq),
          Base64.getEncoder().encodeToString(s.substring(eq + 1).getBytes(StandardCharsets.UTF_8)));
    }
    String type = generator.path("type").asText("Opaque");
    ObjectNode secret = YAML.createObjectNode();
    secret.put("apiVersion", "v1");
    secret.put("kind", "Secret");
    secret
        .putObject("metadata")
        .put("name", generator.path("name").asText() + "-" + hash(data, type));
    ObjectNode d = secret.putObject("data");
    data.forEach(d::put);
    secret.put("type", type);
    return secret;
  }

  /**
   * kustomize's name suffix of a generated Secret: SHA-256 of the JSON of kind, (empty) name, type
   * and base64 data with sorted keys, its first 10 hex digits with 0, 1, 3, a, e mapped to g, h, k,
   * m, t (so the suffix never reads as a number or a word).
   */
  static String hash(TreeMap<String, String> base64Data, String type) {
    ObjectNode m = new ObjectMapper().createObjectNode();
    ObjectNode d = m.putObject("data");
    base64Data.forEach(d::put);
    m.put("kind", "Secret");
    m.put("name", "");
    m.put("type", type);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(new ObjectMapper().writeValueAsBytes(m));
      StringBuilder suffix = new StringBuilder();
      for (char c : HexFormat.of().formatHex(digest).substring(0, 10).toCharArray()) {
        suffix.append(
            switch (c) {
              case '0' -> 'g';
              case '1' -> 'h';
              case '3' -> 'k';
              case 'a' -> 'm';
              case 'e' -> 't';
              default -> c;
            });
      }
      return suffix.toString();
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode target(List<ObjectNode> objects, ObjectNode patch) {
    String kind = patch.path("kind").asText();
    String name = patch.path("metadata").path("name").asText();
    return objects.stream()
        .filter(
            o ->
                kind.equals(o.path("kind").asText())
                    && name.equals(o.path("metadata").path("name").asText()))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "patch for " + kind + " " + name + " matches no object"));
  }

  /**
   * Strategic merge: objects field by field, lists of keyed items item by item, other values
   * replaced.
   */
  private static void merge(ObjectNode into, ObjectNode patch) {
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      JsonNode current = into.get(e.getKey());
      if (current instanceof ObjectNode c && e.getValue() instanceof ObjectNode p) {
        merge(c, p);
      } else if (current instanceof ArrayNode c
          && e.getValue() instanceof ArrayNode p
          && MERGE_KEYS.containsKey(e.getKey())) {
        mergeList(c, p, MERGE_KEYS.get(e.getKey()));
      } else {
        into.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  private static void mergeList(ArrayNode into, ArrayNode patch, String key) {
    for (JsonNode item : patch) {
      ObjectNode match = null;
      for (JsonNode existing : into) {
        if (existing.path(key).equals(item.path(key))) {
          match = (ObjectNode) existing;
        }
      }
      if (match != null) {
        merge(match, (ObjectNode) item);
      } else {
        into.add(item.deepCopy());
      }
    }
  }

  private static void setNamespace(List<ObjectNode> objects, String namespace) {
    Set<String> serviceAccounts = new java.util.HashSet<>();
    for (ObjectNode o : objects) {
      if (!CLUSTER_SCOPED.contains(o.path("kind").asText())) {
        ((ObjectNode) o.path("metadata")).put("namespace", namespace);
      }
      if ("ServiceAccount".equals(o.path("kind").asText())) {
        serviceAccounts.add(o.path("metadata").path("name").asText());
      }
    }
    for (ObjectNode o : objects) {
      if (o.path("kind").asText().endsWith("RoleBinding")) {
        for (JsonNode subject : o.path("subjects")) {
          if ("ServiceAccount".equals(subject.path("kind").asText())
              && serviceAccounts.contains(subject.path("name").asText())) {
            ((ObjectNode) subject).put("namespace", namespace);
          }
        }
      }
    }
  }

  private static void addLabels(List<ObjectNode> objects, JsonNode labels) {
    if (labels.path("includeSelectors").asBoolean(false)) {
      throw new IllegalArgumentException(
          "labels with includeSelectors are not supported: " + labels);
    }
    boolean templates = labels.path("includeTemplates").asBoolean(false);
    for (ObjectNode o : objects) {
      putAll(((ObjectNode) o.path("metadata")).withObjectProperty("labels"), labels.path("pairs"));
      if (templates && WORKLOADS.contains(o.path("kind").asText())) {
        ObjectNode templateMeta = (ObjectNode) o.path("spec").path("template").path("metadata");
        putAll(templateMeta.withObjectProperty("labels"), labels.path("pairs"));
      }
    }
  }

  private static void putAll(ObjectNode into, JsonNode pairs) {
    pairs.properties().forEach(p -> into.set(p.getKey(), p.getValue().deepCopy()));
  }

  private static void setImage(List<ObjectNode> objects, JsonNode image) {
    String name = image.path("name").asText();
    for (ObjectNode o : objects) {
      JsonNode pod = o.path("spec").path("template").path("spec");
      for (String list : List.of("containers", "initContainers")) {
        for (JsonNode c : pod.path(list)) {
          String current = c.path("image").asText();
          int colon = current.indexOf(':');
          String currentName = colon < 0 ? current : current.substring(0, colon);
          if (currentName.equals(name)) {
            String tag =
                image.has("newTag")
                    ? image.path("newTag").asText()
                    : colon < 0 ? null : current.substring(colon + 1);
            String newName = image.path("newName").asText(name);
            ((ObjectNode) c).put("image", tag == null ? newName : newName + ":" + tag);
          }
        }
      }
    }
  }

  /** Points secretKeyRef, secretRef and secret volumes at the generated (suffixed) names. */
  private static void renameSecretReferences(JsonNode node, Map<String, String> renamed) {
    if (renamed.isEmpty()) {
      return;
    }
    if (node instanceof ObjectNode o) {
      for (String ref : List.of("secretKeyRef", "secretRef")) {
        if (o.path(ref) instanceof ObjectNode r && renamed.containsKey(r.path("name").asText())) {
          r.put("name", renamed.get(r.path("name").asText()));
        }
      }
      if (o.path("secret") instanceof ObjectNode s
          && renamed.containsKey(s.path("secretName").asText())) {
        s.put("secretName", renamed.get(s.path("secretName").asText()));
      }
      o.elements().forEachRemaining(child -> renameSecretReferences(child, renamed));
    } else if (node instanceof ArrayNode a) {
      a.elements().forEachRemaining(child -> renameSecretReferences(child, renamed));
    }
  }
}
