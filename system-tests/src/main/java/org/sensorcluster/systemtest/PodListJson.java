package org.sensorcluster.systemtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The {@link FakeKubernetesApi}'s answer to a pod-list request, in the shape the real API uses:
 * metadata, spec.containers[].ports with the port named {@code management}, status.phase and podIP;
 * every pod Running and ready, none being deleted.
 */
final class PodListJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PodListJson() {}

  /** A PodList of {@code pods} (pod name to pod IP), in their order. */
  static ObjectNode of(Map<String, String> pods) {
    ObjectNode list = JSON.createObjectNode().put("kind", "PodList").put("apiVersion", "v1");
    list.putObject("metadata").put("resourceVersion", "1");
    ArrayNode items = list.putArray("items");
    for (Map.Entry<String, String> p : pods.entrySet()) {
      ObjectNode pod = items.addObject();
      ObjectNode meta =
          pod.putObject("metadata")
              .put("name", p.getKey())
              .put("namespace", FakeKubernetesApi.NAMESPACE);
      meta.putObject("labels").put("app", "sensors");
      ObjectNode container =
          pod.putObject("spec").putArray("containers").addObject().put("name", "sensor-node");
      ArrayNode ports = container.putArray("ports");
      ports
          .addObject()
          .put("name", "http")
          .put("containerPort", NodeProcess.HTTP_PORT)
          .put("protocol", "TCP");
      ports
          .addObject()
          .put("name", "management")
          .put("containerPort", NodeProcess.MANAGEMENT_PORT)
          .put("protocol", "TCP");
      ports
          .addObject()
          .put("name", "remoting")
          .put("containerPort", NodeProcess.REMOTE_PORT)
          .put("protocol", "TCP");
      ObjectNode status =
          pod.putObject("status").put("phase", "Running").put("podIP", p.getValue());
      status.putArray("podIPs").addObject().put("ip", p.getValue());
      ObjectNode cs =
          status
              .putArray("containerStatuses")
              .addObject()
              .put("name", "sensor-node")
              .put("ready", true);
      cs.putObject("state").putObject("running").put("startedAt", "2026-12-01T00:00:00Z");
    }
    return list;
  }
}
