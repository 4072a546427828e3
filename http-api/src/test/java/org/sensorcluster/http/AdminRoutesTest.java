package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.view.DeadLetter;
import org.sensorcluster.domain.view.ProjectionStatus;

/**
 * {@code /api/v1/admin/...}: what the routes make of the read-model admin's and the cluster's
 * answers - status codes, the JSON they render, the names they pass on, and how they map the
 * admin's failures. The fake answers what each test tells it to, so no assertion here holds merely
 * because the fake returns a constant.
 */
class AdminRoutesTest extends ApiTestBase {

  private static final String PROJECTIONS = "/api/v1/admin/projections";

  @Test
  void statusListsEveryProjectionInstanceWithEveryFieldInTheAdminsOrder() {
    ProjectionStatus a =
        new ProjectionStatus("readings", "sensor-5", 3, "running", 120, 130, 10, 250, 4000.5);
    ProjectionStatus b =
        new ProjectionStatus("alerts", "sensor-1", 9, "rebuilding", 7, 131, 123, 9000, 52000);
    admin.status(a);
    admin.status(b);
    JsonNode body = assertJson(get(PROJECTIONS), 200);
    assertEquals(Set.of("projections"), fieldsOf(body));
    JsonNode list = body.path("projections");
    assertEquals(2, list.size(), body.toString());
    assertRendered(a, list.get(0));
    assertRendered(b, list.get(1));
    assertEquals(List.of("projections"), admin.calls());
  }

  @Test
  void noProjectionsIsAnEmptyList() {
    assertEquals("{\"projections\":[]}", assertJson(get(PROJECTIONS), 200).toString());
  }

  @Test
  void statusFailuresAreProblems() {
    admin.failNext(
        new ServiceUnavailableException("read model progress unavailable", Duration.ofSeconds(7)));
    JsonNode p = assertUnavailable(get(PROJECTIONS), 7);
    assertTrue(p.path("detail").asText().contains("read model progress unavailable"), p.toString());
    admin.failNext(new IllegalStateException("secret internals"));
    JsonNode internal = assertProblem(get(PROJECTIONS), 500, null);
    assertFalse(
        internal.toString().contains("secret internals"),
        "a 500 does not show the exception: " + internal);
  }

  @Test
  void rebuildAnswers202WithTheGenerationTheAdminStartedAndRefusesASecondWith409() {
    admin.activeGeneration("alerts", 6);
    admin.activeGeneration("rollups", 41);
    JsonNode started = assertJson(postJson(PROJECTIONS + "/alerts/rebuild", ""), 202);
    assertEquals(Set.of("name", "generation", "state", "progress"), fieldsOf(started));
    assertEquals("alerts", started.path("name").asText());
    assertEquals(
        7, started.path("generation").asInt(), "the generation the admin is building: " + started);
    assertEquals("rebuilding", started.path("state").asText());
    assertEquals(PROJECTIONS, started.path("progress").asText(), "where to watch it");
    assertEquals(
        42,
        assertJson(postJson(PROJECTIONS + "/rollups/rebuild", ""), 202).path("generation").asInt());
    assertEquals(Set.of("alerts", "rollups"), admin.rebuilding());

    JsonNode busy =
        assertProblem(postJson(PROJECTIONS + "/alerts/rebuild", ""), 409, "rebuild-in-progress");
    assertTrue(
        busy.path("detail").asText().contains("alerts is already rebuilding"), busy.toString());
    assertEquals(List.of("rebuild alerts", "rebuild rollups", "rebuild alerts"), admin.calls());
  }

  @Test
  void namesArePassedOnDecodedAndUnknownOnesAre404() {
    for (String action : List.of("rebuild", "pause", "resume")) {
      JsonNode p =
          assertProblem(postJson(PROJECTIONS + "/nope/" + action, ""), 404, "unknown-read-model");
      assertTrue(p.path("detail").asText().contains("nope"), p.toString());
    }
    JsonNode paused = assertJson(postJson(PROJECTIONS + "/sensor%5Flatest/pause", ""), 200);
    assertEquals("sensor_latest", paused.path("name").asText());
    assertEquals(Set.of("sensor_latest"), admin.paused());
    assertProblem(get(PROJECTIONS + "/alerts/rebuild"), 405, null);
    assertEquals(
        List.of("rebuild nope", "pause nope", "resume nope", "pause sensor_latest"),
        admin.calls(),
        "the admin decides what is unknown; a GET never reaches it");
  }

  @Test
  void otherAdminFailuresAreNeither404Nor409() {
    admin.failNext(new ServiceUnavailableException("database unreachable", Duration.ofSeconds(3)));
    JsonNode p = assertUnavailable(postJson(PROJECTIONS + "/alerts/rebuild", ""), 3);
    assertTrue(p.path("detail").asText().contains("database unreachable"), p.toString());
    admin.failNext(new ServiceUnavailableException("database unreachable", Duration.ofSeconds(3)));
    assertUnavailable(postJson(PROJECTIONS + "/alerts/pause", ""), 3);
    assertEquals(Set.of(), admin.rebuilding());
    assertEquals(Set.of(), admin.paused());
  }

  @Test
  void pauseAndResumeAReadModel() {
    JsonNode paused = assertJson(postJson(PROJECTIONS + "/readings/pause", ""), 200);
    assertEquals(Set.of("name", "state"), fieldsOf(paused));
    assertEquals("readings", paused.path("name").asText());
    assertEquals("paused", paused.path("state").asText());
    assertEquals(Set.of("readings"), admin.paused());
    JsonNode resumed = assertJson(postJson(PROJECTIONS + "/readings/resume", ""), 200);
    assertEquals("readings", resumed.path("name").asText());
    assertEquals("running", resumed.path("state").asText());
    assertEquals(Set.of(), admin.paused());
    assertEquals(List.of("pause readings", "resume readings"), admin.calls());
  }

  @Test
  void clusterStatusRendersEveryFieldOfTheViewAndLeavesOutAnAbsentRefusal() {
    JsonNode body = assertJson(get("/api/v1/admin/cluster"), 200);
    assertEquals(
        Set.of("self", "leader", "members", "unreachable", "acceptingWrites"),
        fieldsOf(body),
        "writeRefusal is null, so absent: " + body);
    assertEquals(CLUSTER.self(), body.path("self").asText());
    assertEquals(CLUSTER.leader(), body.path("leader").asText());
    assertEquals(CLUSTER.unreachable(), body.path("unreachable").asInt());
    assertEquals(CLUSTER.acceptingWrites(), body.path("acceptingWrites").asBoolean());
    assertEquals(CLUSTER.members().size(), body.path("members").size());
    ClusterAdmin.MemberView m = CLUSTER.members().get(0);
    JsonNode json = body.path("members").get(0);
    assertEquals(
        Set.of(
            "address", "status", "reachable", "self", "leader", "appVersion", "shards", "entities"),
        fieldsOf(json));
    assertEquals(m.address(), json.path("address").asText());
    assertEquals(m.status(), json.path("status").asText());
    assertEquals(m.reachable(), json.path("reachable").asBoolean());
    assertEquals(m.self(), json.path("self").asBoolean());
    assertEquals(m.leader(), json.path("leader").asBoolean());
    assertEquals(m.appVersion(), json.path("appVersion").asText());
    assertEquals(m.shards(), json.path("shards").asInt());
    assertEquals(m.entities(), json.path("entities").asInt());
  }

  /** Every component of {@code s} under its own name, and nothing else. */
  @Test
  void deadLettersListEveryFieldOfThePoisonEventsTheAdminReturns() {
    DeadLetter d =
        new DeadLetter(
            "alerts",
            "alerts-g3",
            3,
            "sensor-4",
            "sensor|s-9",
            17,
            12345,
            "java.lang.IllegalStateException: boom",
            1767322800000L);
    admin.deadLetter(d);
    JsonNode body = assertJson(get(PROJECTIONS + "/dead-letters"), 200);
    assertEquals(Set.of("deadLetters"), fieldsOf(body));
    assertEquals(1, body.path("deadLetters").size(), body.toString());
    JsonNode json = body.path("deadLetters").get(0);
    assertEquals(
        Set.of(
            "model",
            "projection",
            "generation",
            "tag",
            "persistenceId",
            "seqNr",
            "offset",
            "error",
            "recordedAt"),
        fieldsOf(json));
    assertEquals("alerts", json.path("model").asText());
    assertEquals("alerts-g3", json.path("projection").asText());
    assertEquals(3, json.path("generation").asInt());
    assertEquals("sensor-4", json.path("tag").asText());
    assertEquals("sensor|s-9", json.path("persistenceId").asText());
    assertEquals(17, json.path("seqNr").asLong());
    assertEquals(12345, json.path("offset").asLong());
    assertEquals("java.lang.IllegalStateException: boom", json.path("error").asText());
    assertEquals(1767322800000L, json.path("recordedAt").asLong());
    assertEquals(
        0,
        assertJson(get(PROJECTIONS + "/dead-letters?limit=7"), 200).path("deadLetters").size() - 1);
    assertEquals(List.of("dead-letters 1000", "dead-letters 7"), admin.calls());
  }

  @Test
  void deadLettersRefuseABadLimitAndPassOnFailures() {
    for (String bad : List.of("0", "1001", "x", "-3")) {
      assertProblem(get(PROJECTIONS + "/dead-letters?limit=" + bad), 400, "invalid-parameter");
    }
    assertEquals(List.of(), admin.calls(), "nothing asked of the admin for a bad limit");
    admin.failNext(
        new ServiceUnavailableException("read model unavailable", Duration.ofSeconds(3)));
    assertUnavailable(get(PROJECTIONS + "/dead-letters"), 3);
  }

  @Test
  void discardingADeadLetterPassesItsDecodedIdentityAndIs204ThenUnknownIs404() {
    admin.deadLetter(
        new DeadLetter("alerts", "alerts-g3", 3, "sensor-4", "Sensor|s-9", 17, 12345, "boom", 1L));
    String path = PROJECTIONS + "/dead-letters/alerts-g3/Sensor%7Cs-9/17";
    assertEquals(204, delete(path).status());
    assertEquals(0, assertJson(get(PROJECTIONS + "/dead-letters"), 200).path("deadLetters").size());
    JsonNode p = assertProblem(delete(path), 404, "unknown-dead-letter");
    assertTrue(p.path("detail").asText().contains("Sensor|s-9 seq 17"), p.toString());
    assertProblem(
        delete(PROJECTIONS + "/dead-letters/alerts-g3/Sensor%7Cs-9/x"), 400, "invalid-parameter");
    assertEquals(
        List.of(
            "discard alerts-g3 Sensor|s-9 17",
            "dead-letters 1000",
            "discard alerts-g3 Sensor|s-9 17"),
        admin.calls());
  }

  @Test
  void retryingADeadLetterAppliesItOrSaysWhyNot() {
    admin.deadLetter(
        new DeadLetter("alerts", "alerts-g3", 3, "sensor-4", "Sensor|s-9", 17, 12345, "boom", 1L));
    String retry = PROJECTIONS + "/dead-letters/alerts-g3/Sensor%7Cs-9/17/retry";

    admin.retryOutcome("STILL_FAILING");
    JsonNode still = assertProblem(postJson(retry, ""), 409, "dead-letter-still-failing");
    assertTrue(still.path("detail").asText().contains("still poison"), still.toString());
    admin.retryOutcome("GENERATION_RETIRED");
    assertProblem(postJson(retry, ""), 409, "dead-letter-not-retryable");
    assertEquals(1, assertJson(get(PROJECTIONS + "/dead-letters"), 200).path("deadLetters").size());

    admin.retryOutcome("APPLIED");
    JsonNode applied = assertJson(postJson(retry, ""), 200);
    assertEquals("applied", applied.path("outcome").asText(), applied.toString());
    assertEquals("Sensor|s-9", applied.path("persistenceId").asText());
    assertEquals(17, applied.path("seqNr").asLong());
    assertEquals(0, assertJson(get(PROJECTIONS + "/dead-letters"), 200).path("deadLetters").size());
    assertProblem(postJson(retry, ""), 404, "unknown-dead-letter");
    assertProblem(
        postJson(PROJECTIONS + "/dead-letters/alerts-g3/Sensor%7Cs-9/x/retry", ""),
        400,
        "invalid-parameter");
    admin.failNext(new ServiceUnavailableException("down", Duration.ofSeconds(3)));
    assertUnavailable(postJson(retry, ""), 3);
  }

  private static void assertRendered(ProjectionStatus s, JsonNode json) {
    assertEquals(
        Set.of(
            "name",
            "tag",
            "generation",
            "state",
            "offset",
            "journalHead",
            "lagEvents",
            "lagMillis",
            "eventsPerSecond"),
        fieldsOf(json));
    assertEquals(s.name(), json.path("name").asText());
    assertEquals(s.tag(), json.path("tag").asText());
    assertEquals(s.generation(), json.path("generation").asInt());
    assertEquals(s.state(), json.path("state").asText());
    assertEquals(s.offset(), json.path("offset").asLong());
    assertEquals(s.journalHead(), json.path("journalHead").asLong());
    assertEquals(s.lagEvents(), json.path("lagEvents").asLong());
    assertEquals(s.lagMillis(), json.path("lagMillis").asLong());
    assertEquals(s.eventsPerSecond(), json.path("eventsPerSecond").asDouble());
  }

  private static Set<String> fieldsOf(JsonNode n) {
    Set<String> names = new HashSet<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
