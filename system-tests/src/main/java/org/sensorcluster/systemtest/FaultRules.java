package org.sensorcluster.systemtest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The faults of {@link NetworkNamespaces}' hosts as iptables DROP rules: the current partition and
 * the hosts cut from the database, in two chains of our own per namespace ({@link #installChains}),
 * replaced as a whole on every change. Not thread-safe on its own: {@link NetworkNamespaces} calls
 * it only while holding its own lock.
 */
final class FaultRules {

  private static final String PART = "SFT_PART";
  private static final String DB = "SFT_DB";

  private final NetworkNamespaces net;
  private final HarnessSettings settings;

  /** groups of the current partition (empty: none) */
  private List<Set<Integer>> partition = List.of();

  private final Set<Integer> cutFromDatabase = new TreeSet<>();

  FaultRules(NetworkNamespaces net, HarnessSettings settings) {
    this.net = net;
    this.settings = settings;
  }

  /** A fresh namespace has an empty filter table: install our two chains, hooked into INPUT. */
  static void installChains(String ns) {
    Shell.okWithInput(
        "*filter\n:"
            + PART
            + " - [0:0]\n:"
            + DB
            + " - [0:0]\n-A INPUT -j "
            + PART
            + "\n-A INPUT -j "
            + DB
            + "\nCOMMIT\n",
        "ip",
        "netns",
        "exec",
        ns,
        "iptables-restore",
        "-w",
        "5");
  }

  /** No traffic between hosts of different groups; hosts in no group keep talking to everybody. */
  void partition(List<Set<Integer>> groups) {
    this.partition = List.copyOf(groups);
    apply();
  }

  /** Host {@code i} no longer gets answers from the database forwarder (connections time out). */
  void cutDatabase(int i) {
    cutFromDatabase.add(i);
    apply();
  }

  void restoreDatabase(int i) {
    cutFromDatabase.remove(i);
    apply();
  }

  /** Removes every fault rule in every host. */
  void heal() {
    partition = List.of();
    cutFromDatabase.clear();
    apply();
  }

  /** Forgets every fault without touching a host (their namespaces are gone). */
  void forget() {
    partition = List.of();
    cutFromDatabase.clear();
  }

  String describe() {
    return "partition=" + partition + " cutFromDatabase=" + cutFromDatabase;
  }

  private void apply() {
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 1; i <= net.hosts(); i++) {
      StringBuilder rules = new StringBuilder("*filter\n-F " + PART + "\n-F " + DB + "\n");
      for (int peer : peersCutFrom(i)) {
        rules.append("-A ").append(PART).append(" -s ").append(net.ip(peer)).append(" -j DROP\n");
      }
      if (cutFromDatabase.contains(i)) {
        rules
            .append("-A ")
            .append(DB)
            .append(" -s ")
            .append(settings.bridgeIp())
            .append(" -p tcp --sport ")
            .append(ScenarioDatabase.PORT)
            .append(" -j DROP\n");
      }
      rules.append("COMMIT\n");
      String ns = net.namespace(i);
      Thread t =
          new Thread(
              () -> {
                Shell.Result r =
                    Shell.run(
                        rules.toString(),
                        java.time.Duration.ofSeconds(20),
                        List.of(
                            "ip", "netns", "exec", ns, "iptables-restore", "-w", "5", "--noflush"));
                if (!r.ok()) {
                  failures.add(ns + ": " + r.output());
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("iptables-restore failed: " + failures);
    }
    System.out.printf(
        "[faults] network: %s (applied in %d ms)%n",
        describe(), (System.nanoTime() - t0) / 1_000_000);
  }

  private Collection<Integer> peersCutFrom(int i) {
    Set<Integer> out = new TreeSet<>();
    Set<Integer> mine = null;
    for (Set<Integer> g : partition) {
      if (g.contains(i)) {
        mine = g;
      }
    }
    if (mine == null) {
      return out;
    }
    for (Set<Integer> g : partition) {
      if (g != mine) {
        out.addAll(g);
      }
    }
    out.removeAll(mine);
    return out;
  }
}
