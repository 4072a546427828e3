package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What can be checked about docker/ without a Docker engine (none runs where this is developed):
 * the paths the Dockerfile copies, the jar the image runs, the configuration the compose file
 * passes and the port Prometheus scrapes. Plain file parsing; a real {@code docker build} and
 * {@code docker compose up} are not exercised here.
 */
class DockerPackagingTest {

  private static final Path ROOT = RepoRoot.find();
  private static final Path DOCKERFILE = ROOT.resolve("docker/Dockerfile");
  private static final Path COMPOSE = ROOT.resolve("docker/docker-compose.yml");
  private static final Path PROMETHEUS = ROOT.resolve("docker/prometheus/prometheus.yml");
  private static final Path RESOURCES = ROOT.resolve("cluster-node/src/main/resources");

  /** One instruction of the Dockerfile, continuation lines joined; {@code stage} counts FROMs. */
  private record Instruction(int stage, String keyword, List<String> args) {}

  @Test
  void every_path_the_dockerfile_copies_from_the_context_exists_and_is_not_docker_ignored()
      throws IOException {
    List<String> ignored = dockerIgnorePatterns();
    List<String> sources = contextCopySources();
    assertFalse(sources.isEmpty(), "the Dockerfile copies nothing from the build context");
    for (String src : sources) {
      assertFalse(src.contains("*") || src.contains("?"), "glob in COPY, check by hand: " + src);
      assertTrue(Files.exists(ROOT.resolve(src)), "Dockerfile COPYs a missing path: " + src);
      for (String pattern : ignored) {
        assertFalse(
            ignoredBy(src, pattern),
            "Dockerfile COPYs " + src + " but .dockerignore excludes it (" + pattern + ")");
      }
    }
  }

  @Test
  void every_module_of_the_root_pom_has_its_pom_and_sources_copied() throws Exception {
    Set<String> sources = new LinkedHashSet<>(contextCopySources());
    assertTrue(sources.contains("pom.xml"), "root pom.xml not copied");
    List<String> modules = rootModules();
    assertFalse(modules.isEmpty(), "no <modules> in the root pom");
    for (String module : modules) {
      assertTrue(
          sources.contains(module + "/pom.xml"), "Dockerfile does not copy " + module + "/pom.xml");
      assertTrue(sources.contains(module + "/src"), "Dockerfile does not copy " + module + "/src");
    }
  }

  @Test
  void the_runtime_stage_runs_the_jar_the_shade_plugin_produces() throws Exception {
    List<Instruction> all = dockerfile();
    int runtime = all.stream().mapToInt(Instruction::stage).max().orElseThrow();
    assertTrue(runtime >= 1, "expected a multi-stage Dockerfile");

    String jar = "cluster-node/target/" + shadedJarName();
    List<Instruction> fromBuild =
        all.stream()
            .filter(i -> i.stage() == runtime && i.keyword().equals("COPY"))
            .filter(i -> i.args().stream().anyMatch(a -> a.startsWith("--from=")))
            .toList();
    assertEquals(
        1, fromBuild.size(), "runtime stage should copy exactly one artifact: " + fromBuild);
    List<String> copy = withoutFlags(fromBuild.get(0).args());
    assertEquals(2, copy.size(), "COPY --from=... <jar> <dest>: " + copy);
    assertTrue(
        copy.get(0).endsWith("/" + jar) || copy.get(0).equals(jar),
        "runtime stage copies " + copy.get(0) + ", the shade plugin produces " + jar);

    String entrypoint =
        all.stream()
            .filter(i -> i.stage() == runtime && i.keyword().equals("ENTRYPOINT"))
            .map(i -> String.join(" ", i.args()))
            .reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError("no ENTRYPOINT in runtime stage"));
    assertTrue(
        entrypoint.contains("\"-jar\", \"" + copy.get(1) + "\""),
        "ENTRYPOINT does not run the copied jar " + copy.get(1) + ": " + entrypoint);

    List<String> users =
        all.stream()
            .filter(i -> i.stage() == runtime && i.keyword().equals("USER"))
            .map(i -> i.args().get(0))
            .toList();
    assertFalse(users.isEmpty(), "runtime stage has no USER");
    String user = users.get(users.size() - 1);
    assertFalse(user.equals("root") || user.startsWith("0"), "runtime stage runs as root: " + user);
  }

  @Test
  void every_sensors_variable_the_images_and_compose_set_is_read_by_the_configuration()
      throws IOException {
    Set<String> read = variablesReadByConfiguration();
    assertTrue(read.contains("SENSORS_DB_URL"), "sanity: configuration overrides not found");

    Set<String> set = new TreeSet<>();
    Matcher compose =
        Pattern.compile("(?m)^\\s*-?\\s*(SENSORS_[A-Z0-9_]+)\\s*[:=]")
            .matcher(Files.readString(COMPOSE));
    while (compose.find()) {
      set.add(compose.group(1));
    }
    assertTrue(set.contains("SENSORS_SEED_NODES"), "sanity: no SENSORS_* found in compose");
    for (Instruction env : dockerfile()) {
      if (env.keyword().equals("ENV")) {
        for (String arg : env.args()) {
          if (arg.startsWith("SENSORS_")) {
            set.add(arg.split("=", 2)[0]);
          }
        }
      }
    }
    Set<String> unknown = new TreeSet<>(set);
    unknown.removeAll(read);
    assertTrue(
        unknown.isEmpty(),
        "set in docker/ but not read by any ${?NAME} under cluster-node/src/main/resources: "
            + unknown);
  }

  @Test
  void compose_seed_nodes_and_prometheus_targets_name_the_node_services_and_their_ports()
      throws IOException {
    String compose = Files.readString(COMPOSE);
    int httpPort = defaultHttpPort();
    int remotePort =
        ConfigFactory.parseFile(RESOURCES.resolve("cluster.conf").toFile())
            .resolve(ConfigResolveOptions.noSystem().setAllowUnresolved(true))
            .getInt("pekko.remote.artery.canonical.port");

    List<String> nodes = matches(compose, "(?m)^\\s*SENSORS_REMOTE_HOST:\\s*\"?([\\w.-]+)\"?\\s*$");
    assertEquals(3, nodes.size(), "expected 3 nodes with SENSORS_REMOTE_HOST: " + nodes);
    for (String node : nodes) {
      assertTrue(
          Pattern.compile("(?m)^  " + Pattern.quote(node) + ":\\s*$").matcher(compose).find(),
          "SENSORS_REMOTE_HOST " + node + " is not a compose service");
    }

    List<String> seeds = matches(compose, "(?m)^\\s*SENSORS_SEED_NODES:\\s*\"?([^\"\\s]+)\"?\\s*$");
    assertEquals(1, seeds.size(), "expected one shared SENSORS_SEED_NODES: " + seeds);
    assertEquals(
        nodes.stream().map(n -> n + ":" + remotePort).collect(Collectors.toSet()),
        Set.copyOf(Arrays.asList(seeds.get(0).split(","))),
        "seed nodes should be every node at the Artery port");

    // Published ports map onto the node's HTTP port inside the container.
    List<String> published = matches(compose, "(?m)^\\s*-\\s*\"?(?:[\\d.]+:)?\\d+:(\\d+)\"?\\s*$");
    long toHttp = published.stream().filter(p -> p.equals(String.valueOf(httpPort))).count();
    assertEquals(nodes.size(), toHttp, "each node should publish its HTTP port " + httpPort);

    String prometheus = Files.readString(PROMETHEUS);
    assertTrue(prometheus.contains("metrics_path: /metrics"), "Prometheus should scrape /metrics");
    Set<String> targets =
        new TreeSet<>(matches(prometheus, "(?m)^\\s*-\\s*\"?([\\w.-]+:\\d+)\"?\\s*$"));
    assertEquals(
        nodes.stream().map(n -> n + ":" + httpPort).collect(Collectors.toCollection(TreeSet::new)),
        targets,
        "Prometheus should scrape every node's HTTP port (GET /metrics lives there)");
  }

  @Test
  void compose_publishes_ports_on_localhost_only_and_has_no_default_passwords() throws IOException {
    String compose = Files.readString(COMPOSE);
    List<String> published = matches(compose, "(?m)^\\s*-\\s*\"?((?:[\\d.]+:)?\\d+:\\d+)\"?\\s*$");
    assertTrue(published.size() >= 5, "sanity: published ports found: " + published);
    for (String p : published) {
      assertTrue(
          p.startsWith("127.0.0.1:"),
          "port " + p + " is published on every interface; bind it to 127.0.0.1");
    }
    // Every password, secret or token is required from the environment (${NAME:?message}): no
    // default.
    Matcher secrets =
        Pattern.compile("(?m)^\\s*([A-Z0-9_]*(?:PASSWORD|SECRET|TOKEN)[A-Z0-9_]*):\\s*(.*)$")
            .matcher(compose);
    Set<String> seen = new TreeSet<>();
    while (secrets.find()) {
      seen.add(secrets.group(1));
      assertTrue(
          secrets.group(2).strip().matches("\"?\\$\\{[A-Z0-9_]+:\\?[^}]+}\"?"),
          secrets.group(1)
              + " must come from the environment without a default (${NAME:?message}), got "
              + secrets.group(2));
    }
    assertTrue(
        seen.containsAll(
            Set.of(
                "POSTGRES_PASSWORD",
                "SENSORS_DB_PASSWORD",
                "GF_SECURITY_ADMIN_PASSWORD",
                "SENSORS_ADMIN_TOKEN")),
        "sanity: secrets found " + seen);
    // The nodes keep authentication on: the admin token from the environment, no SENSORS_AUTH=off.
    assertFalse(
        Pattern.compile("(?m)^\\s*SENSORS_AUTH:").matcher(compose).find(),
        "compose must not turn auth off");
    assertTrue(
        Pattern.compile("(?m)^\\s*SENSORS_ADMIN_TOKEN:\\s*\\$\\{SENSORS_ADMIN_TOKEN:\\?")
            .matcher(compose)
            .find(),
        "the nodes' admin token should be ${SENSORS_ADMIN_TOKEN:?...}");
    // The file those values are kept in never reaches git or the image's build context.
    assertTrue(
        Files.readAllLines(ROOT.resolve(".gitignore")).contains("docker/.env"),
        ".gitignore docker/.env");
    assertTrue(dockerIgnorePatterns().contains("docker/.env"), ".dockerignore docker/.env");
  }

  @Test
  void the_cds_training_run_authenticates_its_reading_with_a_random_token() throws IOException {
    String script = Files.readString(ROOT.resolve("docker/cds-archive.sh"));
    Matcher token = Pattern.compile("(?m)^TOKEN=\"?([^\n]*)$").matcher(script);
    assertTrue(token.find(), "cds-archive.sh makes no TOKEN");
    assertTrue(
        token.group(1).contains("/dev/urandom"),
        "the training token should be random: " + token.group(1));
    assertTrue(
        script.contains("SENSORS_ADMIN_TOKEN=\"$TOKEN\""),
        "the training node should get the token");
    assertTrue(
        script.contains("-H \"Authorization: Bearer $TOKEN\""),
        "the training reading should send it");
    assertFalse(script.contains("SENSORS_AUTH=off"), "the training run should not turn auth off");
  }

  // ---- parsing helpers ----

  private static List<Instruction> dockerfile() throws IOException {
    List<Instruction> out = new ArrayList<>();
    StringBuilder logical = new StringBuilder();
    int stage = -1;
    for (String raw : Files.readAllLines(DOCKERFILE)) {
      String line = raw.strip();
      if (logical.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (line.endsWith("\\")) {
        logical.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      logical.append(line);
      String[] parts = logical.toString().strip().split("\\s+");
      logical.setLength(0);
      String keyword = parts[0].toUpperCase();
      if (keyword.equals("FROM")) {
        stage++;
      }
      out.add(new Instruction(stage, keyword, List.of(parts).subList(1, parts.length)));
    }
    return out;
  }

  private static List<String> withoutFlags(List<String> args) {
    return args.stream().filter(a -> !a.startsWith("--")).toList();
  }

  /** Sources of every COPY/ADD that reads the build context (not {@code --from=}). */
  private static List<String> contextCopySources() throws IOException {
    List<String> out = new ArrayList<>();
    for (Instruction i : dockerfile()) {
      if ((i.keyword().equals("COPY") || i.keyword().equals("ADD"))
          && i.args().stream().noneMatch(a -> a.startsWith("--from="))) {
        List<String> args = withoutFlags(i.args());
        assertTrue(args.size() >= 2, "COPY without source and destination: " + i);
        assertFalse(args.get(0).startsWith("["), "JSON-form COPY not handled by this test: " + i);
        for (String src : args.subList(0, args.size() - 1)) {
          String s = src.startsWith("./") ? src.substring(2) : src;
          out.add(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        }
      }
    }
    return out;
  }

  private static List<String> dockerIgnorePatterns() throws IOException {
    Path file = ROOT.resolve(".dockerignore");
    assertTrue(Files.isRegularFile(file), ".dockerignore must be at the build context root");
    return Files.readAllLines(file).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("!"))
        .map(l -> l.endsWith("/") ? l.substring(0, l.length() - 1) : l)
        .toList();
  }

  /** Enough of .dockerignore's matching for the patterns used here: paths, ** / prefixes, *.ext. */
  private static boolean ignoredBy(String path, String pattern) {
    if (pattern.startsWith("**/")) {
      String rest = pattern.substring(3);
      return Arrays.stream(path.split("/")).anyMatch(seg -> seg.equals(rest))
          || ignoredBy(path, rest);
    }
    if (pattern.startsWith("*.")) {
      return !path.contains("/") && path.endsWith(pattern.substring(1));
    }
    return path.equals(pattern) || path.startsWith(pattern + "/");
  }

  private static Document xml(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  private static List<String> rootModules() throws Exception {
    NodeList modules = xml(ROOT.resolve("pom.xml")).getElementsByTagName("module");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < modules.getLength(); i++) {
      out.add(modules.item(i).getTextContent().strip());
    }
    return out;
  }

  /**
   * target/&lt;name&gt; the shade plugin writes: its outputFile if set, else its finalName.jar,
   * else (it replaces the module's artifact) the build's finalName.jar.
   */
  private static String shadedJarName() throws Exception {
    org.w3c.dom.Document pom = xml(ROOT.resolve("cluster-node/pom.xml"));
    NodeList builds = pom.getElementsByTagName("build");
    String buildFinalName = "";
    if (builds.getLength() > 0) {
      for (org.w3c.dom.Node n = builds.item(0).getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals("finalName")) {
          buildFinalName = e.getTextContent().trim();
        }
      }
    }
    NodeList plugins = pom.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if (!text(plugin, "artifactId").equals("maven-shade-plugin")) {
        continue;
      }
      String outputFile = text(plugin, "outputFile");
      if (!outputFile.isEmpty()) {
        return Path.of(outputFile).getFileName().toString();
      }
      String finalName = text(plugin, "finalName");
      if (finalName.isEmpty()) {
        finalName = buildFinalName;
      }
      assertFalse(
          finalName.isEmpty(), "shade plugin without finalName: jar name would be versioned");
      assertFalse(finalName.contains("${"), "finalName uses a property; resolve it in this test");
      return finalName + ".jar";
    }
    return fail("no maven-shade-plugin in cluster-node/pom.xml");
  }

  private static String text(Element parent, String tag) {
    NodeList found = parent.getElementsByTagName(tag);
    return found.getLength() == 0 ? "" : found.item(0).getTextContent().strip();
  }

  private static Set<String> variablesReadByConfiguration() throws IOException {
    Set<String> out = new TreeSet<>();
    Pattern optional = Pattern.compile("\\$\\{\\?(SENSORS_[A-Z0-9_]+)}");
    try (Stream<Path> files = Files.walk(RESOURCES)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Matcher m = optional.matcher(Files.readString(f));
        while (m.find()) {
          out.add(m.group(1));
        }
      }
    }
    return out;
  }

  private static int defaultHttpPort() {
    var conf =
        ConfigFactory.parseFile(RESOURCES.resolve("sensors.conf").toFile())
            .resolve(ConfigResolveOptions.noSystem().setAllowUnresolved(true));
    assertNotNull(conf);
    return conf.getInt("sensors.http.port");
  }

  private static List<String> matches(String text, String regex) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
