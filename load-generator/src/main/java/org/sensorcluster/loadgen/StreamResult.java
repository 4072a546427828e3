package org.sensorcluster.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** What a {@code streams} run's clients received, per group: the text report and the JSON line. */
record StreamResult(
    String label, double seconds, double clientCpuSeconds, List<StreamGroupResult> groups) {

  String json() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("type", "streams");
    root.put("label", label);
    root.put("duration_s", seconds);
    root.put("client_cpu_s", clientCpuSeconds);
    ArrayNode array = root.putArray("groups");
    for (StreamGroupResult g : groups) {
      ObjectNode n = array.addObject();
      n.put("path", g.path());
      n.put("clients", g.clients());
      n.put("connected", g.connected());
      n.put("refused", g.refused());
      ObjectNode statuses = n.putObject("refused_by_status");
      g.refusedByStatus().forEach((status, count) -> statuses.put(Integer.toString(status), count));
      n.put("failed", g.failed());
      n.put("disconnects", g.disconnects());
      n.put("events_min", g.eventsMin());
      n.put("events_max", g.eventsMax());
      n.put("events_total", g.eventsTotal());
      n.put("latency_count", g.latencyCount());
      n.put("latency_p50_ms", g.latencyP50Ms());
      n.put("latency_p99_ms", g.latencyP99Ms());
      n.put("latency_max_ms", g.latencyMaxMs());
    }
    return root.toString();
  }

  String text() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format("streams %s: %.1f s, client CPU %.1f s%n", label, seconds, clientCpuSeconds));
    for (StreamGroupResult g : groups) {
      b.append(
          String.format(
              "  %s: %d clients, %d connected, %d refused %s, %d failed before ready, %d"
                  + " disconnected by the node; data events per client min %d max %d (total %d); readings latency p50"
                  + " %.1f ms p99 %.1f ms max %.1f ms (%d events)%n",
              g.path(),
              g.clients(),
              g.connected(),
              g.refused(),
              g.refusedByStatus(),
              g.failed(),
              g.disconnects(),
              g.eventsMin(),
              g.eventsMax(),
              g.eventsTotal(),
              g.latencyP50Ms(),
              g.latencyP99Ms(),
              g.latencyMaxMs(),
              g.latencyCount()));
    }
    return b.toString();
  }
}
