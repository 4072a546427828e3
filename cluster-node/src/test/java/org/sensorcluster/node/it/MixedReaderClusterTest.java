package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sensorcluster.testing.TestPostgres;

/**
 * A cluster whose nodes disagree on the shared journal reader (ADR 23), as during a rolling upgrade
 * from a release without it: node A has it on, node B off. While B is a member, A starts no shared
 * reader (both run the per-model readers, one per model and tag in the cluster) and every reading
 * is applied exactly once; once B has left, A's shared readers take over from the stored offsets,
 * again exactly once.
 */
class MixedReaderClusterTest {

  private static final Duration READY = Duration.ofSeconds(90);

  @Test
  void a_node_with_the_shared_reader_waits_while_a_member_projects_each_model_alone()
      throws Exception {
    TestPostgres pg = TestPostgres.createDatabase("mixed_readers");
    NodeProcess a = new NodeProcess(env(pg, "on"), NodeProcess.logFile("mixed-reader-on"));
    NodeProcess b = new NodeProcess(env(pg, "off"), NodeProcess.logFile("mixed-reader-off"));
    try {
      String seeds = "127.0.0.1:" + b.remotePort + ",127.0.0.1:" + a.remotePort;
      a.setEnv("SENSORS_SEED_NODES", seeds);
      b.setEnv("SENSORS_SEED_NODES", seeds);
      b.launch(); // first, so that node a never sees a cluster without node b
      b.awaitReady(READY);
      a.launch();
      a.awaitReady(READY);
      assertEquals(2, a.awaitUpMembers(2, Duration.ofSeconds(30)), "both nodes Up");
      ApiClient api = new ApiClient(a.httpPort);
      write(api, 0);
      ReadModelOffsets.awaitAtHead(
          pg, List.of("sensor_latest", "readings", "rollups", "alerts"), 1, Duration.ofSeconds(60));
      assertEquals(200, readingsCounted(pg), "every reading counted once");
      assertEquals(0, sharedReaderStarts(a), "node a started a shared reader beside node b");

      assertEquals(143, b.terminate(Duration.ofSeconds(60)), "node b's exit code after SIGTERM");
      write(api, 1);
      ReadModelOffsets.awaitAtHead(
          pg, List.of("sensor_latest", "readings", "rollups", "alerts"), 1, Duration.ofSeconds(60));
      assertEquals(400, readingsCounted(pg), "node a went on from the stored offsets, once each");
      assertTrue(sharedReaderStarts(a) > 0, "node a alone runs the shared readers; log " + a.log);
    } finally {
      a.close();
      b.close();
      pg.drop();
    }
  }

  /** 200 readings: 2 of each of 100 sensors, in one batch. */
  private static void write(ApiClient api, int round) {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      items.add(
          "{\"sensorId\":\"mx-"
              + (i % 100)
              + "\",\"readingId\":\"r"
              + round
              + "-"
              + i
              + "\",\"value\":1}");
    }
    ApiClient.Reply r =
        api.post("/readings", "application/json", "[" + String.join(",", items) + "]");
    assertEquals(202, r.status(), r.raw().body());
  }

  /** Readings in the 1-minute rollups: additive, so an event applied twice would show. */
  private static long readingsCounted(TestPostgres pg) throws SQLException {
    return ReadModelOffsets.pairs(pg, "SELECT COALESCE(SUM(reading_count), 0) FROM rollup_1m_g1")
        .get("value");
  }

  private static long sharedReaderStarts(NodeProcess node) throws Exception {
    return Files.readString(node.log)
        .lines()
        .filter(l -> l.contains("starting the shared reader"))
        .count();
  }

  private static Map<String, String> env(TestPostgres pg, String sharedReader) {
    Map<String, String> env = NodeProcess.postgresEnv(pg, "INFO");
    env.put("SENSORS_PROJECTION_SHARED_READER", sharedReader);
    return env;
  }
}
