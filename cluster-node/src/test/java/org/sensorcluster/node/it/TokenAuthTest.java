package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sensorcluster.node.StorageConfig;
import org.sensorcluster.node.TokenCommand;
import org.sensorcluster.testing.TestPostgres;

/**
 * Tokens on real node processes and a real PostgreSQL: the admin token printed at the first start
 * (and only then), tokens made by the CLI and by the admin route, revocation reaching another node
 * within seconds, {@code SENSORS_AUTH=off} logged loudly.
 */
class TokenAuthTest {

  private static final Duration READY = Duration.ofSeconds(90);
  private static final Pattern PRINTED = Pattern.compile("^\\s+(sct_[A-Za-z0-9_-]{32})\\s*$");
  private static final String READING = "{\"readingId\":\"r-1\",\"value\":1.5}";

  private static Map<String, String> env(TestPostgres pg) {
    return NodeProcess.postgresEnv(pg, "WARN");
  }

  @Test
  void the_first_start_prints_an_admin_token_once_and_the_cli_makes_and_revokes_tokens()
      throws Exception {
    TestPostgres pg = TestPostgres.createDatabase("tokens_first");
    Map<String, String> env = env(pg);
    env.put("SENSORS_ADMIN_TOKEN", ""); // none configured
    NodeProcess node = new NodeProcess(env, NodeProcess.logFile("tokens-first-start"));
    try {
      node.start(READY);
      List<String> printed = printedTokens(node);
      assertEquals(
          1, printed.size(), "one admin token printed at the first start; log " + node.log);
      String admin = printed.get(0);
      assertEquals(200, new ApiClient(node.httpPort, admin).get("/sensors").status());
      assertEquals(401, new ApiClient(node.httpPort, null).get("/sensors").status());
      assertEquals(
          401, new ApiClient(node.httpPort, "sct_" + "x".repeat(32)).get("/sensors").status());

      // the CLI, straight on the database, while the node runs
      String reader =
          cli(pg, "token", "create", "--role", "reader", "--label", "dashboards").trim();
      assertTrue(reader.startsWith("sct_"), reader);
      ApiClient asReader = new ApiClient(node.httpPort, reader);
      assertEquals(
          200,
          asReader.awaitGet("/sensors", r -> r.status() == 200, Duration.ofSeconds(10)).status());
      assertEquals(403, asReader.postJson("/sensors/s-1/readings", READING).status());
      String listed = cli(pg, "token", "list");
      assertTrue(
          listed.contains("dashboards")
              && listed.contains("first-admin")
              && !listed.contains(reader),
          listed);
      String id = idOf(listed, "dashboards");
      cli(pg, "token", "revoke", id);
      assertEquals(
          401,
          asReader.awaitGet("/sensors", r -> r.status() == 401, Duration.ofSeconds(10)).status());

      // a restart prints nothing new: the token is stored as a hash only
      node.terminate(Duration.ofSeconds(60));
      node.start(READY);
      assertEquals(
          1, printedTokens(node).size(), "no second admin token on restart; log " + node.log);
      assertEquals(200, new ApiClient(node.httpPort, admin).get("/sensors").status());
      assertTrue(
          Files.readString(node.log).lines().noneMatch(l -> l.contains(reader.substring(4))),
          "a token created by the CLI never appears in the node's log");

      // the explicit opt-out works and says so at every start
      node.terminate(Duration.ofSeconds(60));
      node.setEnv("SENSORS_AUTH", "off");
      node.start(READY);
      assertEquals(200, new ApiClient(node.httpPort, null).get("/sensors").status());
      assertTrue(
          Files.readString(node.log).contains("AUTHENTICATION IS OFF"),
          "loud warning; log " + node.log);
    } finally {
      node.close();
      pg.drop();
    }
  }

  @Test
  void a_token_made_on_one_node_works_on_the_other_and_its_revocation_reaches_it_within_seconds()
      throws Exception {
    TestPostgres pg = TestPostgres.createDatabase("tokens_two_nodes");
    NodeProcess a = new NodeProcess(env(pg), NodeProcess.logFile("tokens-node-a"));
    NodeProcess b = new NodeProcess(env(pg), NodeProcess.logFile("tokens-node-b"));
    try {
      String seeds = "127.0.0.1:" + a.remotePort + ",127.0.0.1:" + b.remotePort;
      a.setEnv("SENSORS_SEED_NODES", seeds);
      b.setEnv("SENSORS_SEED_NODES", seeds);
      a.launch();
      b.launch();
      a.awaitReady(READY);
      b.awaitReady(READY);
      ApiClient adminA = new ApiClient(a.httpPort);
      ApiClient.Reply created =
          adminA.postJson("/admin/tokens", "{\"role\":\"device\",\"scope\":\"site-berlin-\"}");
      assertEquals(201, created.status(), created.raw().body());
      String device = created.body().path("token").asText();
      String id = created.body().path("id").asText();

      ApiClient deviceOnB = new ApiClient(b.httpPort, device);
      long t0 = System.nanoTime();
      ApiClient.Reply first =
          awaitStatus(
              () -> deviceOnB.postJson("/sensors/site-berlin-1/readings", READING),
              202,
              Duration.ofSeconds(15));
      System.out.printf(
          "a new token worked on the other node after %d ms%n",
          (System.nanoTime() - t0) / 1_000_000);
      assertEquals(202, first.status(), first.raw().body());
      assertEquals(403, deviceOnB.postJson("/sensors/site-paris-1/readings", READING).status());

      assertEquals(204, adminA.delete("/admin/tokens/" + id).status());
      assertEquals(
          401,
          new ApiClient(a.httpPort, device)
              .postJson("/sensors/site-berlin-1/readings", READING)
              .status(),
          "revoked on the node that revoked it at once");
      long t1 = System.nanoTime();
      ApiClient.Reply refused =
          awaitStatus(
              () -> deviceOnB.postJson("/sensors/site-berlin-2/readings", READING),
              401,
              Duration.ofSeconds(10));
      long ms = (System.nanoTime() - t1) / 1_000_000;
      System.out.printf(
          "revocation reached the other node after %d ms (refresh interval 2 s)%n", ms);
      assertEquals(401, refused.status());
      assertTrue(ms < 6_000, "revocation reached node b after " + ms + " ms");
    } finally {
      a.close();
      b.close();
      pg.drop();
    }
  }

  private static ApiClient.Reply awaitStatus(
      java.util.function.Supplier<ApiClient.Reply> call, int status, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ApiClient.Reply r = call.get();
    while (r.status() != status && System.nanoTime() < deadline) {
      ApiClient.sleep(100);
      r = call.get();
    }
    return r;
  }

  private static List<String> printedTokens(NodeProcess node) throws Exception {
    return Files.readAllLines(node.log).stream()
        .map(PRINTED::matcher)
        .filter(Matcher::matches)
        .map(m -> m.group(1))
        .toList();
  }

  private static String idOf(String listing, String label) {
    return listing
        .lines()
        .filter(l -> l.endsWith(label))
        .findFirst()
        .orElseThrow()
        .split("\\s+")[0];
  }

  /** Runs the token CLI in this JVM on {@code pg}; returns what it printed on stdout. */
  private static String cli(TestPostgres pg, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        TokenCommand.main(
            args,
            StorageConfig.load(TestNodes.postgres(pg)),
            Clock.systemUTC(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(
        0, code, () -> "token CLI " + List.of(args) + ": " + err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }
}
