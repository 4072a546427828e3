package org.sensorcluster.systemtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Which node the {@link LoadDriver}'s next request goes to: round-robin over the running nodes,
 * skipping a node that timed out or refused the connection for {@link #EJECT_FOR} (as a load
 * balancer would), and the node a resend came back from.
 */
final class NodeRotation {

  static final Duration EJECT_FOR = Duration.ofSeconds(3);

  private final Supplier<List<String>> nodes;
  private final Map<String, Long> ejectedUntil = new ConcurrentHashMap<>();
  private final AtomicInteger roundRobin = new AtomicInteger();

  NodeRotation(Supplier<List<String>> nodes) {
    this.nodes = nodes;
  }

  String pickNode(String avoid) {
    List<String> all = nodes.get();
    if (all.isEmpty()) {
      return null;
    }
    long now = System.nanoTime();
    List<String> usable = new ArrayList<>();
    for (String u : all) {
      if (ejectedUntil.getOrDefault(u, 0L) <= now && !u.equals(avoid)) {
        usable.add(u);
      }
    }
    if (usable.isEmpty()) {
      for (String u : all) {
        if (!u.equals(avoid)) {
          usable.add(u);
        }
      }
    }
    if (usable.isEmpty()) {
      usable = all;
    }
    return usable.get(Math.floorMod(roundRobin.getAndIncrement(), usable.size()));
  }

  void eject(String url) {
    ejectedUntil.put(url, System.nanoTime() + EJECT_FOR.toNanos());
  }
}
