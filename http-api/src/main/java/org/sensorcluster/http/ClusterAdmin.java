package org.sensorcluster.http;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/v1/admin/cluster}: the members as this node sees them, with their sensor shards.
 */
public interface ClusterAdmin {

  /**
   * One member: its Artery address, status, whether this node can reach it, and its sensor
   * shards/entities.
   */
  record MemberView(
      String address,
      String status,
      boolean reachable,
      boolean self,
      boolean leader,
      String appVersion,
      int shards,
      int entities) {}

  /** The cluster as this node sees it. */
  record ClusterView(
      String self,
      String leader,
      List<MemberView> members,
      int unreachable,
      boolean acceptingWrites,
      String writeRefusal) {}

  CompletionStage<ClusterView> status();

  /**
   * Whether this node is shutting down: every request is then answered 503 with {@code Connection:
   * close}, so clients take their next request (and connection) elsewhere.
   */
  default boolean draining() {
    return false;
  }
}
