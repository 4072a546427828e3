package org.sensorcluster.node;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.sensorcluster.projections.ReadModelDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the cluster through {@code SENSORS_SEED_NODES} without ever forming a second cluster.
 *
 * <p>Pekko lets the first seed node join itself when no other seed answers within {@code
 * seed-node-timeout}: right for a cold start, wrong for a restart while the others are alive but
 * slow to answer (measured in the rolling-restart fault test: a second cluster formed, both wrote
 * the same sensors). Every Up member therefore records itself in {@code cluster_members_seen} every
 * 2 s; a starting first seed that finds another member recorded within the last {@link
 * #ALIVE_WINDOW} joins only the other seeds, and falls back to the full list (self-join allowed)
 * only once no other member has been seen for that long.
 */
final class ClusterJoin {

  private static final Logger log = LoggerFactory.getLogger(ClusterJoin.class);
  static final Duration ALIVE_WINDOW = Duration.ofSeconds(15);
  static final Duration BEAT = Duration.ofSeconds(2);

  private ClusterJoin() {}

  static List<Address> parseSeeds(String seedNodes, String systemName) {
    List<Address> seeds = new ArrayList<>();
    if (seedNodes.isBlank()) {
      return seeds;
    }
    for (String hostPort : seedNodes.split(",")) {
      String hp = hostPort.trim();
      int colon = hp.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "SENSORS_SEED_NODES entries must be host:port, got '" + hp + "'");
      }
      seeds.add(
          new Address(
              "pekko",
              systemName,
              hp.substring(0, colon),
              Integer.parseInt(hp.substring(colon + 1))));
    }
    return seeds;
  }

  static void join(ActorSystem<?> system, List<Address> seeds, ReadModelDatabase db) {
    Cluster cluster = Cluster.get(system);
    Address self = cluster.selfMember().address();
    heartbeat(system, db, self);
    if (seeds.isEmpty()) {
      cluster.manager().tell(Join.create(self));
      return;
    }
    if (!seeds.get(0).equals(self) || seeds.size() == 1) {
      cluster.manager().tell(new JoinSeedNodes(seeds)); // only the first seed may ever join itself
      return;
    }
    if (!othersAlive(db, self)) {
      cluster.manager().tell(new JoinSeedNodes(seeds));
      return;
    }
    List<Address> others = new ArrayList<>(seeds);
    others.remove(self);
    log.info(
        "other members were alive within {} s: joining them ({}) and not forming a cluster of my own",
        ALIVE_WINDOW.toSeconds(),
        others);
    cluster.manager().tell(new JoinSeedNodes(others));
    Cancellable[] check = new Cancellable[1];
    check[0] =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                () -> {
                  MemberStatus s = cluster.selfMember().status();
                  if (s != MemberStatus.removed() && s != MemberStatus.joining()) {
                    check[0].cancel(); // joined
                    return;
                  }
                  if (s == MemberStatus.removed() && !othersAlive(db, self)) {
                    log.warn(
                        "no other member seen for {} s: joining with the full seed list (may form the cluster)",
                        ALIVE_WINDOW.toSeconds());
                    cluster.manager().tell(new JoinSeedNodes(seeds));
                    check[0].cancel();
                  }
                },
                blocking(system));
  }

  private static scala.concurrent.ExecutionContextExecutor blocking(ActorSystem<?> system) {
    return system
        .dispatchers()
        .lookup(DispatcherSelector.fromConfig("sensors-blocking-dispatcher"));
  }

  /**
   * The table members record themselves in; created by {@link NodeSchema} under the schema lock.
   */
  static final String CREATE_TABLE =
      "CREATE TABLE IF NOT EXISTS cluster_members_seen ("
          + "address VARCHAR(255) NOT NULL PRIMARY KEY, last_seen TIMESTAMP WITH TIME ZONE NOT NULL)";

  /**
   * Whether a member other than {@code self} recorded itself within the alive window (database
   * time).
   */
  static boolean othersAlive(ReadModelDatabase db, Address self) {
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT COUNT(*) FROM cluster_members_seen WHERE address <> ?"
                    + " AND last_seen > CURRENT_TIMESTAMP - INTERVAL '"
                    + ALIVE_WINDOW.toSeconds()
                    + "' SECOND")) {
      ps.setString(1, self.toString());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        boolean alive = rs.getLong(1) > 0;
        c.commit();
        return alive;
      }
    } catch (SQLException e) {
      log.warn(
          "cannot read cluster_members_seen ({}); assuming other members are alive",
          e.getMessage());
      return true;
    }
  }

  private static void heartbeat(ActorSystem<?> system, ReadModelDatabase db, Address self) {
    String sql = db.dialect().touch("cluster_members_seen", "address", "last_seen");
    Cluster cluster = Cluster.get(system);
    system
        .scheduler()
        .scheduleWithFixedDelay(
            BEAT,
            BEAT,
            () -> {
              MemberStatus s = cluster.selfMember().status();
              if (s != MemberStatus.up() && s != MemberStatus.weaklyUp()) {
                return;
              }
              try (Connection c = db.connection();
                  PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, self.toString());
                ps.executeUpdate();
                c.commit();
              } catch (SQLException e) {
                log.debug("cannot record this member as seen: {}", e.getMessage());
              }
            },
            blocking(system));
  }
}
