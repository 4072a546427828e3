package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sensorcluster.node.RepoRoot;
import org.sensorcluster.node.SensorNode;

/**
 * docker/grafana/dashboards/sensor-cluster.json against a real node's {@code GET /metrics}: every
 * PromQL expression of every panel (and of the template variables) names only series the node
 * exports after real ingest traffic. Also the dashboard's own shape (uid, title, datasource and
 * targets per panel) and that the Grafana dashboard provider reads the folder docker-compose
 * mounts. Grafana itself is not started here.
 */
class GrafanaDashboardTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = RepoRoot.find();
  private static final Path DASHBOARDS = ROOT.resolve("docker/grafana/dashboards");
  private static final Path DASHBOARD = DASHBOARDS.resolve("sensor-cluster.json");
  private static final Path PROVIDER =
      ROOT.resolve("docker/grafana/provisioning/dashboards/sensor-cluster.yml");
  private static final Path DATASOURCES =
      ROOT.resolve("docker/grafana/provisioning/datasources/prometheus.yml");
  private static final Path COMPOSE = ROOT.resolve("docker/docker-compose.yml");

  /** The projection gauges only have series once the node's first poll of the read side is in. */
  private static final List<String> POLLED =
      List.of(
          "sensors_projection_lag_events",
          "sensors_projection_lag_seconds",
          "sensors_projection_events_per_second",
          "sensors_sharding_entities");

  @TempDir static Path dataDir;
  private static SensorNode node;
  private static Scrape scrape;

  @BeforeAll
  static void startNodeSendTrafficAndScrape() throws Exception {
    node =
        TestNodes.start(
            ConfigFactory.parseString("sensors.metrics.poll-interval = 200ms")
                .withFallback(TestNodes.h2(dataDir)));
    ApiClient api = new ApiClient(node.httpPort());
    ApiClient.Reply single = api.postJson("/sensors/grafana-1/readings", "{\"value\":1.5}");
    assertEquals(202, single.status(), single.raw().body());
    ApiClient.Reply batch =
        api.postJson(
            "/readings",
            "["
                + "{\"sensorId\":\"grafana-1\",\"readingId\":\"g-1\",\"value\":2},"
                + "{\"sensorId\":\"grafana-2\",\"readingId\":\"g-2\",\"value\":3},"
                + "{\"sensorId\":\"grafana-3\",\"readingId\":\"g-3\",\"value\":4}]");
    assertEquals(202, batch.status(), batch.raw().body());
    assertEquals(3, batch.body().get("accepted").asInt(), batch.raw().body());

    long deadline = System.nanoTime() + 20_000_000_000L;
    Scrape s = Scrape.parse(fetchMetrics());
    while (!s.series().containsAll(POLLED) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      s = Scrape.parse(fetchMetrics());
    }
    scrape = s;
    assertTrue(
        scrape.series().containsAll(POLLED),
        "the node never exported " + POLLED + "; series: " + scrape.series());
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void every_expression_of_the_dashboard_names_only_series_the_node_exports() throws IOException {
    List<Query> queries = queries(JSON.readTree(DASHBOARD.toFile()));
    assertTrue(
        queries.size() >= 25, "sanity: expected the dashboard's ~30 expressions, found " + queries);
    Set<String> names = new TreeSet<>();
    queries.forEach(q -> names.addAll(metricNames(q.expr())));
    // sanity on the extraction: one name from each group the dashboard covers
    for (String expected :
        List.of(
            "sensors_ingest_readings_total",
            "sensors_http_request_duration_seconds_bucket",
            "sensors_persist_latency_seconds_bucket",
            "sensors_sharding_shards",
            "sensors_cluster_members",
            "sensors_projection_lag_seconds",
            "jvm_memory_used_bytes",
            "jvm_gc_collection_seconds_sum")) {
      assertTrue(names.contains(expected), "extraction did not find " + expected + " in " + names);
    }
    Map<String, List<String>> missing = missing(queries, scrape);
    assertTrue(
        missing.isEmpty(),
        "dashboard queries series GET /metrics does not export (name -> where): "
            + missing
            + "\nexported series: "
            + scrape.series());
  }

  @Test
  void the_checker_reports_a_metric_the_node_does_not_export() {
    Map<String, List<String>> missing =
        missing(
            List.of(
                new Query("made-up", "rate(sensors_no_such_metric_total[1m])"),
                new Query(
                    "histogram base name",
                    "histogram_quantile(0.99, sum by (le, route) "
                        + "(rate(sensors_http_request_duration_seconds{route=\"readings\"}[5m])))"),
                new Query(
                    "real",
                    "sum by (route, status) (rate(sensors_http_requests_total{status=~\"5..\"}[$__rate_interval]))")),
            scrape);
    assertEquals(
        Set.of("sensors_no_such_metric_total", "sensors_http_request_duration_seconds"),
        missing.keySet(),
        missing.toString());
    assertTrue(
        missing.get("sensors_http_request_duration_seconds").get(0).contains("histogram"),
        "a histogram's base name should be reported as such: " + missing);
    assertEquals(
        Set.of("sensors_http_requests_total"),
        metricNames(
            "sum by (route, status) (rate(sensors_http_requests_total{status=~\"5..\", route!=\"x y\"}[5m]))"
                + " / on (instance) group_left sum without (le) (sensors_http_requests_total offset 1m) > bool 1e3"),
        "extraction picked label names, keywords or functions");
  }

  @Test
  void dashboard_has_a_unique_uid_a_title_and_every_panel_a_datasource_and_a_target()
      throws IOException {
    JsonNode dash = JSON.readTree(DASHBOARD.toFile());
    String uid = dash.path("uid").asText("");
    assertFalse(uid.isBlank(), "dashboard has no uid");
    assertTrue(
        uid.length() <= 40 && uid.matches("[A-Za-z0-9_-]+"),
        "Grafana uids are at most 40 of [A-Za-z0-9_-]: " + uid);
    assertFalse(dash.path("title").asText("").isBlank(), "dashboard has no title");
    assertTrue(
        dash.path("schemaVersion").asInt() >= 36, "schemaVersion " + dash.path("schemaVersion"));

    Map<String, Path> uids = new HashMap<>();
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        Path before = uids.put(JSON.readTree(f.toFile()).path("uid").asText(""), f);
        assertTrue(before == null, "uid shared by " + before + " and " + f);
      }
    }

    Set<String> dsVariables = new HashSet<>();
    Set<String> allVariables = new HashSet<>();
    for (JsonNode v : dash.path("templating").path("list")) {
      allVariables.add(v.path("name").asText());
      if (v.path("type").asText().equals("datasource")) {
        assertEquals(
            "prometheus", v.path("query").asText(), "datasource variable of another plugin type");
        dsVariables.add(v.path("name").asText());
      }
    }
    assertTrue(allVariables.contains("instance"), "no instance variable");
    String provisionedUid =
        matchOne(Files.readString(DATASOURCES), "(?m)^\\s*uid:\\s*\"?([\\w-]+)\"?\\s*$");

    List<JsonNode> panels = new ArrayList<>();
    collectPanels(dash.path("panels"), panels);
    assertTrue(panels.size() >= 20, "sanity: " + panels.size() + " panels");
    Set<Integer> ids = new HashSet<>();
    for (JsonNode p : panels) {
      String title = p.path("title").asText();
      assertTrue(
          ids.add(p.path("id").asInt()), "duplicate panel id " + p.path("id") + " (" + title + ")");
      if (p.path("type").asText().equals("row")) {
        continue;
      }
      assertFalse(title.isBlank(), "panel without title: " + p.path("id"));
      JsonNode ds = p.path("datasource");
      String dsUid = ds.isTextual() ? ds.asText() : ds.path("uid").asText("");
      assertFalse(dsUid.isBlank(), "panel '" + title + "' has no datasource");
      assertTrue(
          dsUid.equals(provisionedUid) || dsVariables.contains(dsUid.replaceAll("^\\$\\{?|}$", "")),
          "panel '"
              + title
              + "' uses datasource "
              + dsUid
              + ", neither the provisioned uid "
              + provisionedUid
              + " nor a datasource variable "
              + dsVariables);
      JsonNode targets = p.path("targets");
      assertTrue(targets.isArray() && !targets.isEmpty(), "panel '" + title + "' has no targets");
      for (JsonNode t : targets) {
        assertFalse(
            t.path("expr").asText("").isBlank(), "panel '" + title + "' has a target without expr");
      }
    }
  }

  @Test
  void the_dashboard_provider_reads_the_folder_compose_mounts_into_grafana() throws IOException {
    String provider = Files.readString(PROVIDER);
    assertEquals(
        "file", matchOne(provider, "(?m)^\\s*type:\\s*\"?(\\w+)\"?\\s*$"), "provider type");
    String providerPath = matchOne(provider, "(?m)^\\s*path:\\s*\"?([^\"\\s]+)\"?\\s*$");

    Map<String, String> mounts =
        grafanaVolumes(Files.readString(COMPOSE)); // container path -> host path
    Path composeDir = COMPOSE.getParent();

    // the provider file itself reaches /etc/grafana/provisioning/dashboards/
    Path providerInContainer = null;
    for (Map.Entry<String, String> m : mounts.entrySet()) {
      Path source = composeDir.resolve(m.getValue()).normalize();
      if (PROVIDER.startsWith(source)) {
        providerInContainer = Path.of(m.getKey()).resolve(source.relativize(PROVIDER));
      }
    }
    assertEquals(
        Path.of("/etc/grafana/provisioning/dashboards/sensor-cluster.yml"),
        providerInContainer,
        "the provider file is not mounted where Grafana reads dashboard providers; grafana volumes: "
            + mounts);

    String source = mounts.get(providerPath);
    assertTrue(
        source != null,
        "provider path " + providerPath + " is not a grafana volume target: " + mounts);
    Path hostDir = composeDir.resolve(source).normalize();
    assertEquals(DASHBOARDS, hostDir, "the provider's folder is mounted from " + hostDir);
    assertTrue(
        Files.isRegularFile(hostDir.resolve(DASHBOARD.getFileName())),
        "dashboard not in " + hostDir);
  }

  // ---- the checker ----

  /** One PromQL expression and where in the dashboard it is. */
  record Query(String where, String expr) {}

  /** Series names of a scrape (sample lines) and the {@code # TYPE} of each base name. */
  record Scrape(Set<String> series, Map<String, String> types) {
    static Scrape parse(String text) {
      Set<String> series = new TreeSet<>();
      Map<String, String> types = new TreeMap<>();
      for (String line : text.split("\n")) {
        if (line.startsWith("# TYPE ")) {
          String[] p = line.substring(7).trim().split("\\s+");
          types.put(p[0], p.length > 1 ? p[1] : "");
        } else if (!line.isBlank() && !line.startsWith("#")) {
          Matcher m = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(line);
          if (m.find()) {
            series.add(m.group(1));
          }
        }
      }
      return new Scrape(series, types);
    }
  }

  /**
   * Names no series of the scrape has, each with the queries using it. A histogram's or summary's
   * base name has no series of its own (Prometheus stores _bucket, _count, _sum), so it counts as
   * missing; the scrape's sample lines carry those suffixes, so names are compared as written.
   */
  static Map<String, List<String>> missing(List<Query> queries, Scrape scrape) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Query q : queries) {
      for (String name : metricNames(q.expr())) {
        if (!scrape.series().contains(name)) {
          String type = scrape.types().get(name);
          String why = type == null ? "" : " [" + type + ": query " + name + "_bucket/_count/_sum]";
          out.computeIfAbsent(name, n -> new ArrayList<>()).add(q.where() + why);
        }
      }
    }
    return out;
  }

  private static final Set<String> PROMQL_WORDS =
      Set.of(
          // aggregations and their modifiers
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio",
          "by",
          "without",
          // binary operators and matching
          "and",
          "or",
          "unless",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "atan2",
          // functions a bare word could be mistaken for
          "rate",
          "irate",
          "increase",
          "delta",
          "idelta",
          "deriv",
          "predict_linear",
          "resets",
          "changes",
          "histogram_quantile",
          "histogram_count",
          "histogram_sum",
          "histogram_fraction",
          "histogram_avg",
          "abs",
          "ceil",
          "floor",
          "round",
          "clamp",
          "clamp_min",
          "clamp_max",
          "exp",
          "ln",
          "log2",
          "log10",
          "sqrt",
          "absent",
          "absent_over_time",
          "scalar",
          "vector",
          "time",
          "timestamp",
          "sort",
          "sort_desc",
          "label_replace",
          "label_join",
          "avg_over_time",
          "min_over_time",
          "max_over_time",
          "sum_over_time",
          "count_over_time",
          "last_over_time",
          "quantile_over_time",
          "stddev_over_time",
          "present_over_time",
          // label names and literals that appear bare
          "le",
          "inf",
          "nan",
          "Inf",
          "NaN");

  /**
   * Metric names in a PromQL expression: what is left once Grafana variables, strings, label
   * matchers, range/subquery brackets and grouping label lists are blanked, as identifiers not
   * called as a function and not a PromQL word.
   */
  static Set<String> metricNames(String expr) {
    String s =
        expr.replaceAll("\\$\\{[^}]*}|\\$\\w+", " ") // $__rate_interval, ${instance}
            .replaceAll(
                "\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`", "\"\"") // string literals
            .replaceAll("\\{[^}]*}", "{}") // label matchers
            .replaceAll("\\[[^\\]]*]", "[]") // ranges, subqueries
            .replaceAll(
                "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)",
                "$1 ") // label lists
            .replaceAll("\\boffset\\s+-?[0-9a-z]+", " "); // offset 5m
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("(?<![\\w:.])[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(s);
    while (m.find()) {
      String word = m.group();
      boolean called = s.substring(m.end()).stripLeading().startsWith("(");
      if (!called && !PROMQL_WORDS.contains(word)) {
        out.add(word);
      }
    }
    return out;
  }

  /**
   * Every target expr of every panel (rows' nested panels included) and every query variable's
   * query.
   */
  static List<Query> queries(JsonNode dashboard) {
    List<Query> out = new ArrayList<>();
    List<JsonNode> panels = new ArrayList<>();
    collectPanels(dashboard.path("panels"), panels);
    for (JsonNode p : panels) {
      for (JsonNode t : p.path("targets")) {
        String expr = t.path("expr").asText("");
        if (!expr.isBlank()) {
          out.add(
              new Query(
                  "panel '" + p.path("title").asText() + "' " + t.path("refId").asText(), expr));
        }
      }
    }
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (!v.path("type").asText().equals("query")) {
        continue;
      }
      JsonNode q = v.path("query");
      String query = q.isTextual() ? q.asText() : q.path("query").asText("");
      Matcher lv =
          Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$").matcher(query);
      Matcher qr = Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$").matcher(query);
      String expr = lv.matches() ? lv.group(1) : qr.matches() ? qr.group(1) : null;
      if (expr != null) {
        out.add(new Query("variable $" + v.path("name").asText(), expr));
      }
    }
    return out;
  }

  private static void collectPanels(JsonNode panels, List<JsonNode> out) {
    for (JsonNode p : panels) {
      out.add(p);
      collectPanels(p.path("panels"), out);
    }
  }

  // ---- plumbing ----

  private static String fetchMetrics() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  /** The grafana service's volumes of the compose file, container path to host path. */
  private static Map<String, String> grafanaVolumes(String compose) {
    Matcher service =
        Pattern.compile("(?ms)^  grafana:\\s*\\n(.*?)(?=^  \\S|^\\S|\\z)").matcher(compose);
    assertTrue(service.find(), "no grafana service in " + COMPOSE);
    Matcher volumes =
        Pattern.compile("(?m)^    volumes:[ \\t]*\\n((?:^[ \\t]*(?:#[^\\n]*|-[^\\n]*)?\\n)*)")
            .matcher(service.group(1));
    assertTrue(volumes.find(), "grafana service has no volumes");
    Map<String, String> out = new LinkedHashMap<>();
    Matcher entry =
        Pattern.compile("(?m)^\\s*-\\s*\"?([^\"\\s]+)\"?\\s*$").matcher(volumes.group(1));
    while (entry.find()) {
      String[] p = entry.group(1).split(":");
      assertTrue(
          p.length >= 2 && p[0].startsWith("."), "not a relative bind mount: " + entry.group(1));
      out.put(p[1], p[0]);
    }
    return out;
  }

  private static String matchOne(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no match of " + regex);
    String first = m.group(1);
    assertFalse(m.find(), "more than one match of " + regex);
    return first;
  }
}
