package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * k8s/: renders every overlay under k8s/overlays with {@code kubectl kustomize} (no cluster
 * needed), validates every object against the Kubernetes API types ({@link KubernetesSchema}) and
 * checks that the objects fit together and fit the node: selectors, the management port and probes,
 * shutdown timing, the SENSORS_* variables the node's configuration reads, secrets. Nothing is
 * applied to a cluster: whether the pods really start and form a cluster is not tested here.
 */
class KubernetesManifestsTest {

  private static final Path ROOT = RepoRoot.find();
  private static final Path K8S = ROOT.resolve("k8s");
  private static final Path OVERLAYS = K8S.resolve("overlays");
  private static final Path DOCKERFILE = ROOT.resolve("docker/Dockerfile");

  /** Where the node's configuration lives (the modules that exist are scanned). */
  private static final List<Path> CONFIG_DIRS =
      List.of(
          ROOT.resolve("cluster-node/src/main/resources"),
          ROOT.resolve("http-api/src/main/resources"),
          ROOT.resolve("projections/src/main/resources"));

  private static final String VERSION_LABEL = "app.kubernetes.io/version";

  /** PostgreSQL's default max_connections (100) less its superuser_reserved_connections (3). */
  private static final int POSTGRES_DEFAULT_USABLE_CONNECTIONS = 97;

  private static final Pattern SECRET_LIKE =
      Pattern.compile("(?i).*(password|passwd|secret|token).*");

  /**
   * The out-of-band Secret holding the admin token (key {@link #ADMIN_TOKEN_KEY}); no manifest
   * carries it.
   */
  private static final String ADMIN_TOKEN_SECRET = "sensors-admin-token";

  private static final String ADMIN_TOKEN_KEY = "token";

  private static final Map<Path, Rendered> RENDERED = new ConcurrentHashMap<>();

  // ---- the rendered output ----

  /** The objects one kustomization renders, all of them valid against the API types. */
  private record Rendered(String name, List<HasMetadata> objects) {

    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      assertEquals(
          1,
          found.size(),
          name
              + ": expected exactly one "
              + type.getSimpleName()
              + ", got "
              + found.stream().map(o -> o.getMetadata().getName()).toList());
      return found.get(0);
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
      return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }
  }

  static Stream<String> overlays() throws IOException {
    assertTrue(Files.isDirectory(OVERLAYS), "no " + ROOT.relativize(OVERLAYS));
    List<String> names;
    try (Stream<Path> dirs = Files.list(OVERLAYS)) {
      names =
          dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
              .map(d -> d.getFileName().toString())
              .sorted()
              .toList();
    }
    assertFalse(
        names.isEmpty(), "no overlay (directory with kustomization.yaml) under k8s/overlays");
    return names.stream();
  }

  private static Rendered overlay(String name) {
    return render(OVERLAYS.resolve(name));
  }

  private static Rendered render(Path dir) {
    return RENDERED.computeIfAbsent(
        dir,
        d -> {
          String yaml = Kustomize.render(d);
          KubernetesSchema.Result result = KubernetesSchema.validate(yaml);
          String name = ROOT.relativize(d).toString();
          assertTrue(
              result.violations().isEmpty(),
              name
                  + " does not fit the Kubernetes API:\n  "
                  + String.join("\n  ", result.violations()));
          assertFalse(result.objects().isEmpty(), name + " rendered no object");
          return new Rendered(
              name, result.objects().stream().map(KubernetesSchema.Parsed::typed).toList());
        });
  }

  // ---- per overlay ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void renders_without_warnings_and_every_object_fits_the_kubernetes_api(String name) {
    Rendered r = overlay(name);
    Set<String> kinds = new TreeSet<>();
    r.objects().forEach(o -> kinds.add(o.getKind()));
    for (String kind :
        List.of(
            "ServiceAccount",
            "Role",
            "RoleBinding",
            "ConfigMap",
            "Deployment",
            "Service",
            "PodDisruptionBudget",
            "HorizontalPodAutoscaler",
            "NetworkPolicy")) {
      assertTrue(kinds.contains(kind), r.name() + " renders no " + kind + ": " + kinds);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void every_object_is_in_the_overlays_one_namespace(String name) {
    Rendered r = overlay(name);
    Set<String> namespaces = new TreeSet<>();
    for (HasMetadata o : r.objects()) {
      if (!(o instanceof Namespace)) {
        assertNotNull(
            o.getMetadata().getNamespace(), r.name() + ": " + describe(o) + " has no namespace");
        namespaces.add(o.getMetadata().getNamespace());
      }
    }
    assertEquals(1, namespaces.size(), r.name() + ": objects spread over namespaces " + namespaces);
    for (Namespace ns : r.all(Namespace.class)) {
      assertEquals(
          namespaces.iterator().next(),
          ns.getMetadata().getName(),
          r.name() + " creates a Namespace its objects are not in");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void deployment_service_pdb_and_hpa_agree_on_the_pods(String name) {
    Rendered r = overlay(name);
    Deployment d = r.one(Deployment.class);
    Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
    assertSelects(r.name() + " Deployment selector", d.getSpec().getSelector(), podLabels);
    assertFalse(
        d.getSpec().getSelector().getMatchLabels().containsKey(VERSION_LABEL),
        r.name()
            + ": the version label changes on every release; it cannot be in the immutable selector");

    Service http =
        r.named(Service.class, d.getMetadata().getName())
            .orElseGet(() -> fail(r.name() + ": no Service named like the Deployment"));
    assertTrue(
        podLabels.entrySet().containsAll(http.getSpec().getSelector().entrySet()),
        r.name()
            + ": Service selector "
            + http.getSpec().getSelector()
            + " does not match "
            + podLabels);
    ServicePort port =
        http.getSpec().getPorts().stream()
            .filter(p -> p.getPort() == 80)
            .findFirst()
            .orElseGet(() -> fail(r.name() + ": Service has no port 80"));
    assertEquals(
        8080,
        containerPort(r, sensorContainer(r), port.getTargetPort()),
        r.name() + ": Service port 80 does not reach the HTTP container port");

    // No other workload's pods carry the labels discovery and the Service select (e.g. postgres).
    for (StatefulSet other : r.all(StatefulSet.class)) {
      Map<String, String> labels = other.getSpec().getTemplate().getMetadata().getLabels();
      assertFalse(
          labels.entrySet().containsAll(d.getSpec().getSelector().getMatchLabels().entrySet()),
          r.name()
              + ": pods of StatefulSet "
              + other.getMetadata().getName()
              + " would be taken for sensor nodes");
    }

    PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class);
    assertSelects(r.name() + " PDB selector", pdb.getSpec().getSelector(), podLabels);
    assertEquals(
        new IntOrString(1), pdb.getSpec().getMaxUnavailable(), r.name() + ": PDB maxUnavailable");

    HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class);
    var target = hpa.getSpec().getScaleTargetRef();
    assertEquals("Deployment", target.getKind(), r.name() + ": HPA target kind");
    assertEquals("apps/v1", target.getApiVersion(), r.name() + ": HPA target apiVersion");
    assertEquals(
        d.getMetadata().getName(), target.getName(), r.name() + ": HPA scales another Deployment");
    int replicas = d.getSpec().getReplicas();
    assertTrue(
        hpa.getSpec().getMinReplicas() <= replicas && replicas <= hpa.getSpec().getMaxReplicas(),
        r.name()
            + ": replicas "
            + replicas
            + " outside the HPA's "
            + hpa.getSpec().getMinReplicas()
            + ".."
            + hpa.getSpec().getMaxReplicas());
    assertTrue(
        hpa.getSpec().getMetrics().stream()
            .anyMatch(m -> m.getResource() != null && "cpu".equals(m.getResource().getName())),
        r.name() + ": HPA is not CPU based");
    HPAScalingRules down = hpa.getSpec().getBehavior().getScaleDown();
    assertTrue(
        down.getStabilizationWindowSeconds() != null && down.getStabilizationWindowSeconds() > 0,
        r.name() + ": HPA scale-down has no stabilization window");
    for (HPAScalingPolicy policy : down.getPolicies()) {
      assertTrue(
          "Pods".equals(policy.getType())
              && policy.getValue() <= 1
              && policy.getPeriodSeconds() >= 60,
          r.name() + ": HPA scale-down may remove more than one pod a minute: " + policy);
    }
    assertFalse(down.getPolicies().isEmpty(), r.name() + ": HPA scale-down has no policy");

    var rolling = d.getSpec().getStrategy().getRollingUpdate();
    assertEquals(new IntOrString(1), rolling.getMaxSurge(), r.name() + ": maxSurge");
    assertEquals(new IntOrString(0), rolling.getMaxUnavailable(), r.name() + ": maxUnavailable");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void management_port_probes_and_shutdown_fit_the_node(String name) {
    Rendered r = overlay(name);
    Container c = sensorContainer(r);
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (ContainerPort p : c.getPorts()) {
      ports.put(p.getName(), p.getContainerPort());
    }
    assertTrue(
        ports.containsKey("management"),
        r.name()
            + ": cluster bootstrap finds the contact point by the port name 'management': "
            + ports);
    assertTrue(
        ports.containsKey("http") && ports.containsKey("remoting"), r.name() + ": ports " + ports);

    // The ports the node is told to use are the ports the pod declares.
    Map<String, String> env = literalEnv(r, c);
    assertEquals(
        String.valueOf(ports.get("http")), env.get("SENSORS_HTTP_PORT"), r.name() + ": HTTP port");
    assertEquals(
        String.valueOf(ports.get("management")),
        env.get("SENSORS_MANAGEMENT_PORT"),
        r.name() + ": management port");
    assertEquals(
        String.valueOf(ports.get("remoting")),
        env.get("SENSORS_REMOTE_PORT"),
        r.name() + ": Artery port");
    assertEquals(
        "0.0.0.0",
        env.get("SENSORS_HTTP_HOST"),
        r.name() + ": HTTP must bind all interfaces in a pod");

    assertHttpProbe(r, c, "readinessProbe", c.getReadinessProbe(), "/ready");
    assertHttpProbe(r, c, "livenessProbe", c.getLivenessProbe(), "/alive");
    assertHttpProbe(r, c, "startupProbe", c.getStartupProbe(), "/alive");
    Probe live = c.getLivenessProbe();
    int toleratedSeconds = live.getPeriodSeconds() * live.getFailureThreshold();
    assertTrue(
        toleratedSeconds >= 60 && live.getTimeoutSeconds() >= 3,
        r.name()
            + ": liveness would restart a node after "
            + toleratedSeconds
            + " s of failed checks (timeout "
            + live.getTimeoutSeconds()
            + " s): a long GC pause must not do that");

    assertNotNull(c.getLifecycle(), r.name() + ": no preStop hook");
    List<String> preStop = c.getLifecycle().getPreStop().getExec().getCommand();
    assertEquals("sleep", preStop.get(0), r.name() + ": preStop should sleep: " + preStop);
    int sleep = Integer.parseInt(preStop.get(1));
    assertTrue(sleep >= 3, r.name() + ": preStop sleep too short for endpoint removal: " + sleep);
    Long grace = podSpec(r).getTerminationGracePeriodSeconds();
    assertNotNull(grace, r.name() + ": no terminationGracePeriodSeconds");
    // preStop sleep, then 10 s HTTP drain (SensorNode), then sharding hand-off and leaving.
    assertTrue(
        grace >= sleep + 10 + 30,
        r.name()
            + ": terminationGracePeriodSeconds "
            + grace
            + " leaves coordinated shutdown less than 30 s after the "
            + sleep
            + " s preStop and 10 s drain");

    Map<String, String> annotations =
        r.one(Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations();
    assertEquals(
        "true", annotations.get("prometheus.io/scrape"), r.name() + ": prometheus.io/scrape");
    assertEquals(
        String.valueOf(ports.get("http")),
        annotations.get("prometheus.io/port"),
        r.name() + ": /metrics is served on the HTTP port");
    assertEquals(
        "/metrics", annotations.get("prometheus.io/path"), r.name() + ": prometheus.io/path");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void every_sensors_variable_is_read_by_the_node_and_the_cluster_settings_agree(String name)
      throws IOException {
    Rendered r = overlay(name);
    Container c = sensorContainer(r);
    Set<String> read = variablesReadByConfiguration();
    assertTrue(read.contains("SENSORS_DB_URL"), "sanity: configuration overrides not found");

    Set<String> set = new TreeSet<>(literalEnv(r, c).keySet());
    c.getEnv().forEach(e -> set.add(e.getName()));
    Set<String> unknown = new TreeSet<>();
    for (String var : set) {
      if (!var.startsWith("SENSORS_") || read.contains(var)) {
        continue;
      }
      unknown.add(var);
    }
    assertTrue(
        unknown.isEmpty(),
        r.name()
            + " sets SENSORS_* variables the node does not read "
            + "(no ${?NAME} or ${NAME} under "
            + CONFIG_DIRS.stream().map(ROOT::relativize).toList()
            + "): "
            + unknown);

    Map<String, String> env = literalEnv(r, c);
    Deployment d = r.one(Deployment.class);
    assertEquals("kubernetes-api", env.get("SENSORS_DISCOVERY"), r.name() + ": SENSORS_DISCOVERY");
    // Kubernetes API discovery looks up pods with the selector app=<service name>.
    assertEquals(
        d.getSpec().getTemplate().getMetadata().getLabels().get("app"),
        env.get("SENSORS_BOOTSTRAP_SERVICE_NAME"),
        r.name()
            + ": discovery selects app=<SENSORS_BOOTSTRAP_SERVICE_NAME>; the pods must carry that label");
    assertEquals(
        String.valueOf(d.getSpec().getReplicas()),
        env.get("SENSORS_REQUIRED_CONTACT_POINTS"),
        r.name() + ": required contact points should be the initial replica count");
    assertEquals("json", env.get("SENSORS_LOG_FORMAT"), r.name() + ": SENSORS_LOG_FORMAT");

    assertFieldRef(r, c, "SENSORS_K8S_NAMESPACE", "metadata.namespace");
    assertFieldRef(r, c, "SENSORS_REMOTE_HOST", "status.podIP");
    assertFieldRef(r, c, "SENSORS_APP_VERSION", "metadata.labels['" + VERSION_LABEL + "']");

    int perPod =
        Integer.parseInt(env.get("SENSORS_DB_JOURNAL_MAX_CONNECTIONS"))
            + Integer.parseInt(env.get("SENSORS_DB_READ_MODEL_MAX_CONNECTIONS"));
    int max = r.one(HorizontalPodAutoscaler.class).getSpec().getMaxReplicas();
    assertTrue(
        max * perPod <= POSTGRES_DEFAULT_USABLE_CONNECTIONS,
        r.name()
            + ": "
            + max
            + " pods x "
            + perPod
            + " connections exceed PostgreSQL's default max_connections");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void image_tag_and_version_label_agree(String name) {
    Rendered r = overlay(name);
    Container c = sensorContainer(r);
    String image = c.getImage();
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    assertTrue(colon > slash && !image.contains("@"), r.name() + ": image without a tag: " + image);
    String tag = image.substring(colon + 1);
    assertFalse(tag.equals("latest"), r.name() + ": a :latest image cannot be rolled by version");
    String label =
        r.one(Deployment.class)
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels()
            .get(VERSION_LABEL);
    assertEquals(
        tag,
        label,
        r.name()
            + ": pod label "
            + VERSION_LABEL
            + " (the sharding app-version) should be bumped together with the image tag");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void the_service_account_may_list_pods_in_its_namespace(String name) {
    Rendered r = overlay(name);
    Deployment d = r.one(Deployment.class);
    String sa = podSpec(r).getServiceAccountName();
    assertNotNull(sa, r.name() + ": no serviceAccountName");
    String ns = d.getMetadata().getNamespace();
    assertTrue(
        r.named(ServiceAccount.class, sa).isPresent(),
        r.name() + ": ServiceAccount " + sa + " not rendered");

    boolean canList = false;
    for (RoleBinding rb : r.all(RoleBinding.class)) {
      boolean binds =
          rb.getSubjects().stream()
              .anyMatch(
                  (Subject s) ->
                      "ServiceAccount".equals(s.getKind())
                          && sa.equals(s.getName())
                          && ns.equals(s.getNamespace()));
      if (!binds || !"Role".equals(rb.getRoleRef().getKind())) {
        continue;
      }
      Role role =
          r.named(Role.class, rb.getRoleRef().getName())
              .orElseGet(
                  () ->
                      fail(
                          r.name()
                              + ": RoleBinding "
                              + rb.getMetadata().getName()
                              + " names a missing Role"));
      for (PolicyRule rule : role.getRules()) {
        if (rule.getApiGroups().contains("")
            && rule.getResources().contains("pods")
            && rule.getVerbs().containsAll(List.of("get", "watch", "list"))) {
          canList = true;
        }
      }
    }
    assertTrue(
        canList,
        r.name()
            + ": no RoleBinding gives ServiceAccount "
            + ns
            + "/"
            + sa
            + " a Role that can get, watch and list pods (Kubernetes API discovery needs it)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void runs_as_the_images_non_root_user_on_a_read_only_root_filesystem(String name)
      throws IOException {
    Rendered r = overlay(name);
    PodSpec pod = podSpec(r);
    Container c = sensorContainer(r);
    String dockerUser = dockerfileValue("USER").split(":")[0];
    assertEquals(
        Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), r.name() + ": runAsNonRoot");
    assertEquals(
        dockerUser,
        String.valueOf(pod.getSecurityContext().getRunAsUser()),
        r.name() + ": runAsUser should be the image's USER");
    SecurityContext sc = c.getSecurityContext();
    assertEquals(
        Boolean.TRUE, sc.getReadOnlyRootFilesystem(), r.name() + ": readOnlyRootFilesystem");
    assertEquals(
        Boolean.FALSE, sc.getAllowPrivilegeEscalation(), r.name() + ": allowPrivilegeEscalation");
    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), r.name() + ": capabilities.drop");

    // A read-only root needs writable emptyDirs where the JVM and the node write.
    String dataDir = dockerfileValue("ENV").replaceFirst("^SENSORS_DATA_DIR=", "");
    for (String path : List.of("/tmp", dataDir)) {
      VolumeMount mount =
          c.getVolumeMounts().stream()
              .filter(m -> path.equals(m.getMountPath()))
              .findFirst()
              .orElseGet(
                  () -> fail(r.name() + ": nothing mounted on " + path + " of the read-only root"));
      Volume volume =
          pod.getVolumes().stream()
              .filter(v -> v.getName().equals(mount.getName()))
              .findFirst()
              .orElseGet(() -> fail(r.name() + ": volume " + mount.getName() + " not declared"));
      assertNotNull(volume.getEmptyDir(), r.name() + ": " + path + " should be an emptyDir");
    }

    Map<String, Quantity> requests = c.getResources().getRequests();
    Map<String, Quantity> limits = c.getResources().getLimits();
    assertTrue(
        requests.containsKey("cpu") && requests.containsKey("memory"),
        r.name() + ": requests " + requests);
    assertTrue(
        limits.containsKey("memory"),
        r.name() + ": no memory limit (the JVM sizes its heap from it)");
    assertEquals(
        "kubernetes.io/hostname",
        pod.getAffinity()
            .getPodAntiAffinity()
            .getPreferredDuringSchedulingIgnoredDuringExecution()
            .get(0)
            .getPodAffinityTerm()
            .getTopologyKey(),
        r.name() + ": anti-affinity topology");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void the_database_password_comes_from_a_secret_and_no_password_is_a_literal(String name) {
    Rendered r = overlay(name);
    Container c = sensorContainer(r);
    EnvVar password =
        c.getEnv().stream()
            .filter(e -> e.getName().equals("SENSORS_DB_PASSWORD"))
            .findFirst()
            .orElseGet(() -> fail(r.name() + ": SENSORS_DB_PASSWORD not set"));
    assertTrue(
        password.getValueFrom() != null && password.getValueFrom().getSecretKeyRef() != null,
        r.name() + ": SENSORS_DB_PASSWORD must come from a secretKeyRef");
    assertNoLiteralSecrets(r);

    // Every secretKeyRef either names a rendered Secret holding that key, or (no Secret rendered:
    // created out of band) the agreed name sensors-db.
    for (Container any : containers(r)) {
      for (EnvVar e : any.getEnv()) {
        SecretKeySelector ref =
            e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef();
        if (ref == null) {
          continue;
        }
        Optional<Secret> secret = r.named(Secret.class, ref.getName());
        if (secret.isPresent()) {
          assertTrue(
              secret.get().getData().containsKey(ref.getKey())
                  || Boolean.TRUE.equals(ref.getOptional()),
              r.name()
                  + ": Secret "
                  + ref.getName()
                  + " has no key "
                  + ref.getKey()
                  + " for "
                  + e.getName());
        } else {
          assertTrue(
              r.all(Secret.class).isEmpty(),
              r.name()
                  + ": "
                  + e.getName()
                  + " refers to Secret "
                  + ref.getName()
                  + ", which is not among the rendered Secrets");
          assertEquals(
              "sensors-db",
              ref.getName(),
              r.name() + ": out-of-band Secret name for " + e.getName());
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void artery_and_management_admit_only_the_clusters_own_pods(String name) {
    Rendered r = overlay(name);
    List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy> policies =
        r.all(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);
    assertEquals(1, policies.size(), r.name() + ": one NetworkPolicy");
    var spec = policies.get(0).getSpec();
    assertEquals(
        Map.of("app", "sensors"),
        spec.getPodSelector().getMatchLabels(),
        r.name() + ": policy selects the pods");
    for (var rule : spec.getIngress()) {
      boolean clusterPort =
          rule.getPorts().stream()
              .anyMatch(p -> p.getPort().getIntVal() == 25520 || p.getPort().getIntVal() == 8558);
      if (clusterPort) {
        assertTrue(
            rule.getFrom() != null
                && !rule.getFrom().isEmpty()
                && rule.getFrom().stream()
                    .allMatch(
                        f ->
                            f.getPodSelector() != null
                                && Map.of("app", "sensors")
                                    .equals(f.getPodSelector().getMatchLabels())
                                && f.getNamespaceSelector() == null
                                && f.getIpBlock() == null),
            r.name() + ": 25520/8558 admitted from more than the cluster's own pods: " + rule);
      }
    }
    assertTrue(
        spec.getIngress().stream()
            .anyMatch(
                rule -> rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 8080)),
        r.name() + ": the HTTP API must stay reachable");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void cluster_traffic_is_tls_with_the_three_files_of_an_out_of_band_secret(String name)
      throws IOException {
    Rendered r = overlay(name);
    PodSpec pod = podSpec(r);
    Container c = sensorContainer(r);
    Map<String, String> env = literalEnv(r, c);
    assertEquals("on", env.get("SENSORS_CLUSTER_TLS"), r.name() + ": cluster TLS must be on");
    String dir = env.get("SENSORS_CLUSTER_TLS_DIR");
    assertNotNull(dir, r.name() + ": SENSORS_CLUSTER_TLS_DIR not set");
    VolumeMount mount =
        c.getVolumeMounts().stream()
            .filter(m -> dir.equals(m.getMountPath()))
            .findFirst()
            .orElseGet(
                () -> fail(r.name() + ": nothing is mounted at SENSORS_CLUSTER_TLS_DIR " + dir));
    assertEquals(
        Boolean.TRUE, mount.getReadOnly(), r.name() + ": the TLS mount should be read-only");
    assertTrue(
        mount.getSubPath() == null,
        r.name() + ": a subPath mount never sees a renewed certificate");
    Volume volume =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseGet(() -> fail(r.name() + ": volume " + mount.getName() + " not declared"));
    assertEquals(
        "sensors-cluster-tls",
        volume.getSecret().getSecretName(),
        r.name() + ": cluster TLS Secret name");
    assertFalse(
        Boolean.TRUE.equals(volume.getSecret().getOptional()),
        r.name() + ": no TLS files, no start");
    for (String f : List.of("tls.key", "tls.crt", "ca.crt")) {
      assertTrue(
          volume.getSecret().getItems().stream()
              .anyMatch(i -> f.equals(i.getKey()) && f.equals(i.getPath())),
          r.name()
              + ": "
              + f
              + " is not mounted from the Secret: "
              + volume.getSecret().getItems());
    }
    assertTrue(
        (volume.getSecret().getDefaultMode() & 0007) == 0,
        r.name() + ": the TLS key must not be world-readable");
    assertTrue(
        r.named(Secret.class, "sensors-cluster-tls").isEmpty(),
        r.name() + ": Secret sensors-cluster-tls must be created out of band, not rendered");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void the_admin_token_is_a_file_from_an_out_of_band_secret_and_auth_stays_on(String name)
      throws IOException {
    Rendered r = overlay(name);
    PodSpec pod = podSpec(r);
    Container c = sensorContainer(r);
    Map<String, String> env = literalEnv(r, c);
    assertFalse(
        env.containsKey("SENSORS_AUTH"),
        r.name() + ": SENSORS_AUTH must not be set (auth stays on)");
    assertTrue(
        c.getEnv().stream().noneMatch(e -> e.getName().equals("SENSORS_ADMIN_TOKEN")),
        r.name() + ": the admin token comes from the file, not from SENSORS_ADMIN_TOKEN");

    // SENSORS_ADMIN_TOKEN_FILE names the key "token" of the Secret volume sensors-admin-token.
    String file = env.get("SENSORS_ADMIN_TOKEN_FILE");
    assertNotNull(file, r.name() + ": SENSORS_ADMIN_TOKEN_FILE not set");
    VolumeMount mount =
        c.getVolumeMounts().stream()
            .filter(m -> file.startsWith(m.getMountPath() + "/"))
            .findFirst()
            .orElseGet(
                () ->
                    fail(
                        r.name()
                            + ": nothing is mounted where SENSORS_ADMIN_TOKEN_FILE "
                            + file
                            + " points"));
    assertEquals(
        Boolean.TRUE,
        mount.getReadOnly(),
        r.name() + ": the admin token mount should be read-only");
    assertTrue(
        mount.getSubPath() == null, r.name() + ": a subPath mount never sees an updated Secret");
    Volume volume =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseGet(() -> fail(r.name() + ": volume " + mount.getName() + " not declared"));
    assertNotNull(volume.getSecret(), r.name() + ": " + file + " should be on a Secret volume");
    assertEquals(
        ADMIN_TOKEN_SECRET,
        volume.getSecret().getSecretName(),
        r.name() + ": admin token Secret name");
    assertFalse(
        Boolean.TRUE.equals(volume.getSecret().getOptional()),
        r.name()
            + ": without the Secret the pods must not start (they would run with a token nobody knows)");
    String relative = file.substring(mount.getMountPath().length() + 1);
    assertTrue(
        volume.getSecret().getItems().stream()
            .anyMatch(i -> ADMIN_TOKEN_KEY.equals(i.getKey()) && relative.equals(i.getPath())),
        r.name()
            + ": "
            + file
            + " is not the Secret's key '"
            + ADMIN_TOKEN_KEY
            + "': "
            + volume.getSecret().getItems());
    int mode = volume.getSecret().getDefaultMode();
    assertTrue(
        (mode & 0007) == 0 && (mode & 0040) != 0,
        r.name()
            + ": admin token file mode "
            + Integer.toOctalString(mode)
            + " should be readable by the pod's fsGroup and by no one else");
    assertNotNull(
        pod.getSecurityContext().getFsGroup(),
        r.name() + ": no fsGroup to read the admin token with");

    // Never committed: no overlay renders that Secret, or any Secret with a token in it.
    assertTrue(
        r.named(Secret.class, ADMIN_TOKEN_SECRET).isEmpty(),
        r.name() + ": Secret " + ADMIN_TOKEN_SECRET + " must be created out of band, not rendered");
    for (Secret secret : r.all(Secret.class)) {
      Set<String> keys = new TreeSet<>();
      if (secret.getData() != null) keys.addAll(secret.getData().keySet());
      if (secret.getStringData() != null) keys.addAll(secret.getStringData().keySet());
      assertTrue(
          keys.stream().noneMatch(k -> k.toLowerCase().contains("token")),
          r.name() + ": Secret " + secret.getMetadata().getName() + " carries a token: " + keys);
    }

    // The README says how to create it, in this overlay's namespace.
    String ns = r.one(Deployment.class).getMetadata().getNamespace();
    String readme = Files.readString(K8S.resolve("README.md"));
    String create = "-n " + ns + " create secret generic " + ADMIN_TOKEN_SECRET;
    int at = readme.indexOf(create);
    assertTrue(at >= 0, "k8s/README.md does not say how to create the Secret: '" + create + "'");
    assertTrue(
        readme
            .substring(at)
            .matches("(?s)[^\\n]*(\\\\\\n)?[^\\n]*--from-literal=" + ADMIN_TOKEN_KEY + "=.*"),
        "k8s/README.md: '" + create + "' without --from-literal=" + ADMIN_TOKEN_KEY + "=...");
  }

  // ---- the two overlays and the base ----

  @Test
  void dev_runs_its_own_postgres_in_namespace_sensors_dev() {
    Rendered r = overlay("dev");
    assertNamespace(r, "sensors-dev");
    StatefulSet pg = r.one(StatefulSet.class);
    Container db = pg.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals("postgres:15", db.getImage(), "dev PostgreSQL image");
    assertEquals(1, pg.getSpec().getReplicas(), "dev PostgreSQL replicas");
    assertEquals(
        new Quantity("1Gi"),
        pg.getSpec()
            .getVolumeClaimTemplates()
            .get(0)
            .getSpec()
            .getResources()
            .getRequests()
            .get("storage"),
        "dev PostgreSQL volume");
    assertTrue(
        String.join(" ", db.getReadinessProbe().getExec().getCommand()).contains("pg_isready"),
        "dev PostgreSQL readiness should be pg_isready");

    Service svc =
        r.named(Service.class, pg.getSpec().getServiceName())
            .orElseGet(
                () ->
                    fail(
                        "dev: no governing Service "
                            + pg.getSpec().getServiceName()
                            + " for the StatefulSet"));
    assertEquals(
        "None", svc.getSpec().getClusterIP(), "dev: the postgres Service should be headless");
    assertTrue(
        pg.getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels()
            .entrySet()
            .containsAll(svc.getSpec().getSelector().entrySet()),
        "dev: postgres Service selects no postgres pod");

    Jdbc url = Jdbc.parse(literalEnv(r, sensorContainer(r)).get("SENSORS_DB_URL"));
    assertEquals(
        svc.getMetadata().getName(),
        url.host(),
        "dev: SENSORS_DB_URL should point at the postgres Service");
    assertTrue(
        svc.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == url.port()),
        "dev: the postgres Service does not expose port " + url.port());
    assertEquals("sensors", url.database(), "dev: database name");
    assertEquals(
        1, r.one(Deployment.class).getSpec().getReplicas(), "dev runs one sensor pod to start");

    // The database and the nodes share one generated, clearly dev-only Secret.
    Secret secret = r.one(Secret.class);
    String dbPassword = new String(Base64.getDecoder().decode(secret.getData().get("password")));
    assertTrue(
        dbPassword.contains("dev-only"), "dev: the generated password should be marked dev-only");
    String pgSecret =
        db.getEnv().stream()
            .filter(e -> e.getName().equals("POSTGRES_PASSWORD"))
            .map(e -> e.getValueFrom().getSecretKeyRef().getName())
            .findFirst()
            .orElseGet(() -> fail("no POSTGRES_PASSWORD"));
    assertEquals(
        secret.getMetadata().getName(),
        pgSecret,
        "dev: PostgreSQL and the nodes use different Secrets");
  }

  @Test
  void production_expects_an_external_database_and_the_secret_out_of_band() {
    Rendered r = overlay("production");
    assertNamespace(r, "sensors");
    assertTrue(r.all(StatefulSet.class).isEmpty(), "production must not run a database of its own");
    assertTrue(
        r.all(Secret.class).isEmpty(), "production must not carry a Secret (created out of band)");
    assertEquals(3, r.one(Deployment.class).getSpec().getReplicas(), "production replicas");
    Jdbc url = Jdbc.parse(literalEnv(r, sensorContainer(r)).get("SENSORS_DB_URL"));
    assertTrue(
        r.named(Service.class, url.host()).isEmpty() && url.host().contains("."),
        "production: SENSORS_DB_URL should name the external database host, not " + url.host());
  }

  @Test
  void the_base_renders_valid_objects_and_no_secret() {
    Rendered r = render(K8S.resolve("base"));
    assertTrue(r.all(Secret.class).isEmpty(), "base must not carry a Secret");
    assertTrue(r.all(StatefulSet.class).isEmpty(), "base must not run a database");
    assertNoLiteralSecrets(r);
    assertEquals(3, r.one(Deployment.class).getSpec().getReplicas(), "base starts 3 replicas");
  }

  // ---- the checks themselves can fail ----

  private static final String VALID_DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: demo
        labels:
          app: demo
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: demo
        template:
          metadata:
            labels:
              app: demo
          spec:
            containers:
              - name: demo
                image: demo:1
                ports:
                  - name: http
                    containerPort: 8080
                readinessProbe:
                  httpGet:
                    path: /ready
                    port: http
                resources:
                  requests:
                    cpu: 1
                    memory: 1Gi
      """;

  @Test
  void the_validator_accepts_a_correct_manifest() {
    KubernetesSchema.Result ok =
        KubernetesSchema.validate(
            VALID_DEPLOYMENT
                + "---\n"
                + """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: demo
        data:
          PORT: "8080"
        """);
    assertEquals(List.of(), ok.violations());
    assertEquals(2, ok.objects().size());
    assertTrue(ok.objects().get(0).typed() instanceof Deployment);
  }

  @Test
  void the_validator_rejects_broken_manifests() {
    assertRejected(
        "misspelled field",
        VALID_DEPLOYMENT.replace("  replicas: 2", "  replica: 2"),
        "spec.replica");
    assertRejected(
        "misspelled nested field",
        VALID_DEPLOYMENT.replace("path: /ready", "paht: /ready"),
        "spec.template.spec.containers[0].readinessProbe.httpGet.paht");
    assertRejected(
        "field in the wrong place",
        VALID_DEPLOYMENT.replace("  replicas: 2", "  replicas: 2\n  image: demo:1"),
        "spec.image");
    assertRejected(
        "string that is no number",
        VALID_DEPLOYMENT.replace("containerPort: 8080", "containerPort: \"abc\""),
        "containerPort");
    assertRejected(
        "quoted number where an integer belongs",
        VALID_DEPLOYMENT.replace("containerPort: 8080", "containerPort: \"8080\""),
        "containerPort");
    assertRejected(
        "number where a string belongs",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: demo
        data:
          PORT: 8080
        """,
        "data");
    assertRejected(
        "list where an object belongs",
        VALID_DEPLOYMENT.replace(
            "  selector:\n    matchLabels:\n      app: demo\n", "  selector:\n    - app\n"),
        "selector");
    assertRejected(
        "unknown kind",
        VALID_DEPLOYMENT.replace("kind: Deployment", "kind: Deploymnet"),
        "unknown apiVersion/kind");
    assertRejected(
        "API version Kubernetes no longer serves",
        VALID_DEPLOYMENT.replace("apps/v1", "extensions/v1beta1"),
        "no longer served");
    assertRejected(
        "duplicate key",
        VALID_DEPLOYMENT.replace("  replicas: 2", "  replicas: 2\n  replicas: 3"),
        "replicas");
    assertRejected(
        "no name",
        VALID_DEPLOYMENT.replace("  name: demo\n  labels:", "  labels:"),
        "metadata.name");
  }

  /**
   * Without kubectl the tests render with {@link KustomizeSubset}: it must render what kubectl
   * renders.
   */
  @ParameterizedTest
  @MethodSource("overlays")
  void the_java_rendering_equals_kubectl_kustomize(String overlay) throws IOException {
    Path kubectl = Kustomize.requireKubectl();
    Path dir = OVERLAYS.resolve(overlay);
    assertEquals(
        documents(Kustomize.renderWithKubectl(kubectl, dir)),
        documents(KustomizeSubset.render(dir)),
        overlay + ": KustomizeSubset renders other objects than kubectl kustomize");
  }

  @Test
  void the_java_rendering_refuses_what_it_does_not_know(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("configmap.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    Files.writeString(
        dir.resolve("kustomization.yaml"), "resources:\n  - configmap.yaml\nnamePrefix: dev-\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KustomizeSubset.render(dir));
    assertTrue(e.getMessage().contains("namePrefix"), e.getMessage());
  }

  private static final ObjectMapper CANONICAL =
      new ObjectMapper()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The objects of a multi-document YAML, in a canonical order (kubectl sorts by kind, this by
   * file).
   */
  private static List<String> documents(String yaml) throws IOException {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    List<String> docs = new ArrayList<>();
    try (var it = mapper.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isEmpty()) {
          docs.add(CANONICAL.writeValueAsString(CANONICAL.treeToValue(doc, Object.class)));
        }
      }
    }
    docs.sort(null);
    return docs;
  }

  @Test
  void rendering_fails_on_kustomize_deprecation_warnings(@TempDir Path dir) throws IOException {
    Path kubectl =
        Kustomize.requireKubectl(); // skip here when kubectl is missing, not inside assertThrows
    Files.writeString(
        dir.resolve("configmap.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    Files.writeString(
        dir.resolve("kustomization.yaml"),
        """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        commonLabels:
          app: x
        resources:
          - configmap.yaml
        """);
    AssertionError error =
        assertThrows(AssertionError.class, () -> Kustomize.renderWithKubectl(kubectl, dir));
    assertTrue(error.getMessage().contains("printed warnings"), error.getMessage());
  }

  private static void assertRejected(String what, String yaml, String expected) {
    KubernetesSchema.Result result = KubernetesSchema.validate(yaml);
    assertFalse(result.violations().isEmpty(), what + ": accepted:\n" + yaml);
    assertTrue(
        result.violations().stream().anyMatch(v -> v.contains(expected)),
        what + ": expected a violation mentioning '" + expected + "', got " + result.violations());
  }

  // ---- helpers ----

  private static Container sensorContainer(Rendered r) {
    List<Container> all = podSpec(r).getContainers();
    assertEquals(1, all.size(), r.name() + ": the sensor pod should run one container");
    Container c = all.get(0);
    assertTrue(
        c.getImage().matches("(.*/)?sensor-node(:[^/]+)?"),
        r.name() + ": unexpected image " + c.getImage());
    return c;
  }

  private static PodSpec podSpec(Rendered r) {
    return r.one(Deployment.class).getSpec().getTemplate().getSpec();
  }

  private static List<Container> containers(Rendered r) {
    List<Container> out = new ArrayList<>();
    for (HasMetadata o : r.objects()) {
      PodTemplateSpec template =
          o instanceof Deployment d
              ? d.getSpec().getTemplate()
              : o instanceof StatefulSet s ? s.getSpec().getTemplate() : null;
      if (template != null) {
        out.addAll(template.getSpec().getInitContainers());
        out.addAll(template.getSpec().getContainers());
      }
    }
    return out;
  }

  /** The container's literal environment: the ConfigMaps of envFrom, overridden by env values. */
  private static Map<String, String> literalEnv(Rendered r, Container c) {
    Map<String, String> out = new LinkedHashMap<>();
    for (EnvFromSource from : c.getEnvFrom()) {
      assertTrue(
          from.getSecretRef() == null,
          r.name() + ": envFrom a Secret hides which variables are set");
      String cm = from.getConfigMapRef().getName();
      ConfigMap map =
          r.named(ConfigMap.class, cm)
              .orElseGet(
                  () ->
                      fail(
                          r.name()
                              + ": envFrom names ConfigMap "
                              + cm
                              + ", which is not rendered"));
      String prefix = Objects.requireNonNullElse(from.getPrefix(), "");
      map.getData().forEach((k, v) -> out.put(prefix + k, v));
    }
    for (EnvVar e : c.getEnv()) {
      if (e.getValueFrom() == null) {
        out.put(e.getName(), e.getValue());
      } else {
        out.remove(e.getName());
      }
    }
    return out;
  }

  private static void assertFieldRef(Rendered r, Container c, String var, String fieldPath) {
    EnvVar e =
        c.getEnv().stream()
            .filter(v -> v.getName().equals(var))
            .findFirst()
            .orElseGet(() -> fail(r.name() + ": " + var + " not set"));
    assertTrue(
        e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null,
        r.name() + ": " + var + " should come from the downward API");
    assertEquals(fieldPath, e.getValueFrom().getFieldRef().getFieldPath(), r.name() + ": " + var);
    if (fieldPath.startsWith("metadata.labels['")) {
      String label = fieldPath.substring("metadata.labels['".length(), fieldPath.length() - 2);
      String value =
          r.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels().get(label);
      assertTrue(
          value != null && !value.isBlank(),
          r.name()
              + ": "
              + var
              + " reads pod label "
              + label
              + ", which the pod template does not set");
    }
  }

  private static void assertHttpProbe(
      Rendered r, Container c, String which, Probe probe, String path) {
    assertNotNull(probe, r.name() + ": no " + which);
    assertNotNull(probe.getHttpGet(), r.name() + ": " + which + " should be an HTTP GET");
    assertEquals(path, probe.getHttpGet().getPath(), r.name() + ": " + which + " path");
    int management =
        c.getPorts().stream()
            .filter(p -> "management".equals(p.getName()))
            .findFirst()
            .orElseThrow()
            .getContainerPort();
    assertEquals(
        management,
        containerPort(r, c, probe.getHttpGet().getPort()),
        r.name() + ": " + which + " should use the management port");
  }

  /** The container port a named or numbered port reference resolves to. */
  private static int containerPort(Rendered r, Container c, IntOrString ref) {
    assertNotNull(ref, r.name() + ": missing port");
    if (ref.getIntVal() != null) {
      return ref.getIntVal();
    }
    return c.getPorts().stream()
        .filter(p -> ref.getStrVal().equals(p.getName()))
        .findFirst()
        .orElseGet(() -> fail(r.name() + ": no container port named " + ref.getStrVal()))
        .getContainerPort();
  }

  private static void assertSelects(
      String what, LabelSelector selector, Map<String, String> labels) {
    assertNotNull(selector, what + " missing");
    assertTrue(
        selector.getMatchExpressions().isEmpty(),
        what + ": matchExpressions not handled by this test");
    assertFalse(selector.getMatchLabels().isEmpty(), what + " is empty (would select everything)");
    assertTrue(
        labels.entrySet().containsAll(selector.getMatchLabels().entrySet()),
        what + " " + selector.getMatchLabels() + " does not match the pod labels " + labels);
  }

  private static void assertNamespace(Rendered r, String expected) {
    for (HasMetadata o : r.objects()) {
      String actual =
          o instanceof Namespace ? o.getMetadata().getName() : o.getMetadata().getNamespace();
      assertEquals(expected, actual, r.name() + ": namespace of " + describe(o));
    }
  }

  /**
   * No literal value for a password-like variable or ConfigMap key, in any container or ConfigMap.
   * A {@code *_FILE} variable may name a file on a mounted Secret volume (the value is a path, the
   * secret is in the Secret).
   */
  private static void assertNoLiteralSecrets(Rendered r) {
    for (HasMetadata o : r.objects()) {
      PodTemplateSpec template =
          o instanceof Deployment d
              ? d.getSpec().getTemplate()
              : o instanceof StatefulSet s ? s.getSpec().getTemplate() : null;
      if (template == null) {
        continue;
      }
      Set<String> secretVolumes = new TreeSet<>();
      template.getSpec().getVolumes().stream()
          .filter(v -> v.getSecret() != null)
          .forEach(v -> secretVolumes.add(v.getName()));
      List<Container> all = new ArrayList<>(template.getSpec().getInitContainers());
      all.addAll(template.getSpec().getContainers());
      for (Container c : all) {
        for (EnvVar e : c.getEnv()) {
          if (!SECRET_LIKE.matcher(e.getName()).matches() || e.getValueFrom() != null) {
            continue;
          }
          boolean fileOnSecretVolume =
              e.getName().endsWith("_FILE")
                  && e.getValue() != null
                  && c.getVolumeMounts().stream()
                      .anyMatch(
                          m ->
                              secretVolumes.contains(m.getName())
                                  && e.getValue().startsWith(m.getMountPath() + "/"));
          assertTrue(
              fileOnSecretVolume,
              r.name()
                  + ": container "
                  + c.getName()
                  + " sets "
                  + e.getName()
                  + " to a literal value"
                  + (e.getName().endsWith("_FILE") ? " that is no file on a Secret volume" : ""));
        }
      }
    }
    for (ConfigMap cm : r.all(ConfigMap.class)) {
      for (Map.Entry<String, String> e : cm.getData().entrySet()) {
        assertFalse(
            SECRET_LIKE.matcher(e.getKey()).matches(),
            r.name()
                + ": ConfigMap "
                + cm.getMetadata().getName()
                + " holds "
                + e.getKey()
                + "; use a Secret");
        assertFalse(
            e.getValue().toLowerCase().contains("password="),
            r.name()
                + ": ConfigMap "
                + cm.getMetadata().getName()
                + " key "
                + e.getKey()
                + " embeds a password");
      }
    }
  }

  private static String describe(HasMetadata o) {
    return o.getKind() + " " + o.getMetadata().getName();
  }

  /** The host, port and database of a jdbc:postgresql URL. */
  private record Jdbc(String host, int port, String database) {
    static Jdbc parse(String url) {
      assertNotNull(url, "SENSORS_DB_URL not set");
      Matcher m = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+).*").matcher(url);
      assertTrue(m.matches(), "not a jdbc:postgresql URL: " + url);
      return new Jdbc(
          m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)), m.group(3));
    }
  }

  /**
   * Every SENSORS_* variable the node's configuration reads: ${?NAME} (HOCON) or ${NAME...}
   * (logback).
   */
  private static Set<String> variablesReadByConfiguration() throws IOException {
    Set<String> out = new TreeSet<>();
    Pattern reference = Pattern.compile("\\$\\{\\??(SENSORS_[A-Z0-9_]+)");
    for (Path dir : CONFIG_DIRS) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Matcher m = reference.matcher(Files.readString(f));
          while (m.find()) {
            out.add(m.group(1));
          }
        }
      }
    }
    return out;
  }

  /** The argument of the runtime stage's last USER, or of its ENV SENSORS_DATA_DIR. */
  private static String dockerfileValue(String keyword) throws IOException {
    String found = null;
    for (String line : Files.readAllLines(DOCKERFILE)) {
      String l = line.strip();
      if (l.startsWith("FROM ")) {
        found = null;
      } else if (l.startsWith(keyword + " ")
          && (!keyword.equals("ENV") || l.contains("SENSORS_DATA_DIR="))) {
        found = l.substring(keyword.length() + 1).strip();
      }
    }
    assertNotNull(found, "no " + keyword + " in the Dockerfile's runtime stage");
    return found;
  }
}
