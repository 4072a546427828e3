package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.view.ProjectionStatus;

/** {@code /api/v1/admin/projections}. */
class AdminRoutesTest extends ApiTestBase {

  @Test
  void statusListsEveryProjectionInstance() {
    admin.status(new ProjectionStatus("readings", "sensor-0", 1, "running", 120, 130, 10, 250, 4000.5));
    admin.status(new ProjectionStatus("readings", "sensor-1", 2, "rebuilding", 7, 130, 123, 9000, 52000));
    JsonNode body = assertJson(get("/api/v1/admin/projections"), 200);
    JsonNode list = body.path("projections");
    assertEquals(2, list.size());
    assertEquals("sensor-1", list.get(1).path("tag").asText());
    assertEquals("rebuilding", list.get(1).path("state").asText());
    assertEquals(123, list.get(1).path("lagEvents").asLong());
    assertEquals(52000.0, list.get(1).path("eventsPerSecond").asDouble());
  }

  @Test
  void rebuildStartsOnceAndUnknownNamesAre404() {
    JsonNode started = assertJson(postJson("/api/v1/admin/projections/alerts/rebuild", ""), 202);
    assertEquals("alerts", started.path("name").asText());
    assertEquals(2, started.path("generation").asInt());
    assertEquals(Set.of("alerts"), admin.rebuilding());
    assertProblem(postJson("/api/v1/admin/projections/alerts/rebuild", ""), 409, "rebuild-in-progress");
    assertProblem(postJson("/api/v1/admin/projections/nope/rebuild", ""), 404, "unknown-read-model");
    assertProblem(get("/api/v1/admin/projections/alerts/rebuild"), 405, null);
  }

  @Test
  void pauseAndResumeAReadModel() {
    JsonNode paused = assertJson(postJson("/api/v1/admin/projections/readings/pause", ""), 200);
    assertEquals("paused", paused.path("state").asText());
    assertEquals(Set.of("readings"), admin.paused());
    assertJson(postJson("/api/v1/admin/projections/readings/resume", ""), 200);
    assertEquals(Set.of(), admin.paused());
    assertProblem(postJson("/api/v1/admin/projections/nope/pause", ""), 404, "unknown-read-model");
  }

  @Test
  void clusterStatusListsMembersWithTheirShards() {
    JsonNode body = assertJson(get("/api/v1/admin/cluster"), 200);
    assertEquals("Up", body.path("members").get(0).path("status").asText());
    assertEquals(340, body.path("members").get(0).path("entities").asInt());
    assertEquals(true, body.path("acceptingWrites").asBoolean());
  }
}
