package org.sensorcluster.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The cluster membership as the nodes of a {@link NodeCluster} see it: their {@code
 * /cluster/members} answers, how many members are Up, and a one-line summary for the timeline.
 */
final class ClusterMembers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<NodeProcess> nodes;
  private final HttpClient http;

  ClusterMembers(List<NodeProcess> nodes, HttpClient http) {
    this.nodes = nodes;
    this.http = http;
  }

  boolean awaitMembersUp(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      for (NodeProcess n : nodes) {
        if (!n.isRunning() || n.frozen()) {
          continue;
        }
        Optional<JsonNode> m = members(n);
        if (m.isPresent() && upCount(m.get()) == count && m.get().path("unreachable").size() == 0) {
          return true;
        }
      }
      NetworkNamespaces.sleep(500);
    } while (System.nanoTime() < deadline);
    return false;
  }

  Optional<JsonNode> members(NodeProcess n) {
    Optional<HttpResponse<String>> r = n.get(http, "/cluster/members");
    if (r.isEmpty() || r.get().statusCode() != 200) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(r.get().body()));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static int upCount(JsonNode members) {
    int up = 0;
    for (JsonNode m : members.path("members")) {
      if ("Up".equals(m.path("status").asText())) {
        up++;
      }
    }
    return up;
  }

  /** "node1: 3 Up / 0 unreachable; node2: ..." as each running node sees it. */
  String membersSummary() {
    StringBuilder sb = new StringBuilder();
    for (NodeProcess n : nodes) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(n.name()).append(": ");
      if (!n.isRunning()) {
        sb.append("not running (exit ").append(n.exitCode()).append(")");
        continue;
      }
      if (n.frozen()) {
        sb.append("frozen");
        continue;
      }
      Optional<JsonNode> m = members(n);
      sb.append(
          m.map(
                  j ->
                      upCount(j)
                          + " Up/"
                          + j.path("members").size()
                          + " members, "
                          + j.path("unreachable").size()
                          + " unreachable")
              .orElse("no answer"));
    }
    return sb.toString();
  }
}
