package org.sensorcluster.systemtest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * N "hosts" as Linux network namespaces ({@code <prefix>1..N}) joined by veth pairs to one bridge
 * ({@code <prefix>br0}, address {@code <subnet>.1}); host i has {@code <subnet>.(10+i)} and no
 * default route, so it reaches nothing but its peers and the bridge address.
 *
 * <p>Faults are iptables DROP rules inside the namespaces, INPUT side (silent drops: peers see
 * timeouts, never a reset), in two chains of our own that are replaced as a whole with one {@code
 * iptables-restore --noflush} per namespace. The root namespace's firewall is never touched.
 * Partitions drop packets from the other side's host addresses only: the load driver and the
 * readiness probes come from the bridge address and keep reaching every node (clients can still
 * talk to a minority node, which must refuse writes). A database cut drops what comes from the
 * forwarder's port ({@code <subnet>.1:5432}), so HTTP from the bridge address still gets through.
 *
 * <p>{@link #setUp} first removes whatever an aborted run left (namespaces, veths, bridge with our
 * prefix); {@link #tearDown} kills what still runs in the namespaces and removes everything.
 */
final class NetworkNamespaces implements AutoCloseable {

  private static final String PART = "SFT_PART";
  private static final String DB = "SFT_DB";

  private final HarnessSettings settings;
  private final String prefix;
  private int hosts;

  /** groups of the current partition (empty: none) */
  private List<Set<Integer>> partition = List.of();

  private final Set<Integer> cutFromDatabase = new TreeSet<>();

  NetworkNamespaces(HarnessSettings settings) {
    this.settings = settings;
    this.prefix = settings.namePrefix();
  }

  String namespace(int i) {
    return prefix + i;
  }

  String ip(int i) {
    return settings.hostIp(i);
  }

  int hosts() {
    return hosts;
  }

  /** Creates hosts 1..n from scratch (after removing leftovers). */
  synchronized void setUp(int n) {
    long t0 = System.nanoTime();
    tearDown();
    String bridgeCidr = settings.bridgeIp() + "/24";
    for (String line : Shell.ok("ip", "-o", "-4", "addr", "show").split("\n")) {
      if (line.contains(" " + settings.subnet() + ".")) {
        throw new IllegalStateException(
            "another interface already uses "
                + settings.subnet()
                + ".0/24 ("
                + line.trim()
                + "); remove it (e.g. /work/shared/tools/netns.sh down) or pick -Dfaults.subnet=198.18.x");
      }
    }
    String br = bridge();
    Shell.ok("ip", "link", "add", br, "type", "bridge", "stp_state", "0", "forward_delay", "0");
    Shell.ok("ip", "addr", "add", bridgeCidr, "dev", br);
    Shell.ok("ip", "link", "set", br, "up");
    for (int i = 1; i <= n; i++) {
      String ns = namespace(i);
      String veth = prefix + "v" + i;
      Shell.ok("ip", "netns", "add", ns);
      Shell.ok("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
      Shell.ok("ip", "link", "set", veth, "master", br);
      Shell.ok("ip", "link", "set", veth, "up");
      Shell.run(
          "ip",
          "netns",
          "exec",
          ns,
          "sysctl",
          "-qw",
          "net.ipv6.conf.all.disable_ipv6=1",
          "net.ipv6.conf.default.disable_ipv6=1");
      Shell.ok("ip", "-n", ns, "link", "set", "lo", "up");
      Shell.ok("ip", "-n", ns, "addr", "add", ip(i) + "/24", "dev", "eth0");
      Shell.ok("ip", "-n", ns, "link", "set", "eth0", "up");
      // a fresh namespace has an empty filter table: install our two chains, hooked into INPUT
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
    hosts = n;
    for (int i = 1; i <= n; i++) {
      for (int k = 0; k < 100; k++) {
        if (Shell.run("ip", "-n", namespace(i), "link", "show", "eth0")
            .output()
            .contains("LOWER_UP")) {
          break;
        }
        sleep(20);
      }
    }
    System.out.printf(
        "[faults] %d hosts up (%s.11..%s.%d, bridge %s) in %d ms%n",
        n,
        settings.subnet(),
        settings.subnet(),
        10 + n,
        settings.bridgeIp(),
        (System.nanoTime() - t0) / 1_000_000);
  }

  private String bridge() {
    return prefix + "br0";
  }

  /** No traffic between hosts of different groups; hosts in no group keep talking to everybody. */
  synchronized void partition(List<Set<Integer>> groups) {
    this.partition = List.copyOf(groups);
    apply();
  }

  /** {@code i} can no longer reach (nor be reached by) any other host. */
  synchronized void isolate(int i) {
    Set<Integer> others = new LinkedHashSet<>();
    for (int k = 1; k <= hosts; k++) {
      if (k != i) {
        others.add(k);
      }
    }
    partition(List.of(Set.of(i), others));
  }

  /** Host {@code i} no longer gets answers from the database forwarder (connections time out). */
  synchronized void cutDatabase(int i) {
    cutFromDatabase.add(i);
    apply();
  }

  synchronized void restoreDatabase(int i) {
    cutFromDatabase.remove(i);
    apply();
  }

  /** Removes every fault rule in every host. */
  synchronized void heal() {
    partition = List.of();
    cutFromDatabase.clear();
    apply();
  }

  synchronized String describeFaults() {
    return "partition=" + partition + " cutFromDatabase=" + cutFromDatabase;
  }

  private void apply() {
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 1; i <= hosts; i++) {
      StringBuilder rules = new StringBuilder("*filter\n-F " + PART + "\n-F " + DB + "\n");
      for (int peer : peersCutFrom(i)) {
        rules.append("-A ").append(PART).append(" -s ").append(ip(peer)).append(" -j DROP\n");
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
      String ns = namespace(i);
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
        describeFaults(), (System.nanoTime() - t0) / 1_000_000);
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

  /**
   * Removes every namespace, veth and the bridge with our prefix, killing what still runs inside.
   * Idempotent.
   */
  synchronized void tearDown() {
    List<String> ours = new ArrayList<>();
    Shell.Result list = Shell.run("ip", "netns", "list");
    for (String line : list.output().split("\n")) {
      String name = line.trim().split("\\s+")[0];
      if (name.matches(java.util.regex.Pattern.quote(prefix) + "\\d+")) {
        ours.add(name);
      }
    }
    for (String ns : ours) {
      killAllIn(ns);
    }
    for (String ns : ours) {
      Shell.run("ip", "netns", "del", ns);
    }
    for (String line : Shell.run("ip", "-o", "link", "show").output().split("\n")) {
      String[] parts = line.split(": ");
      if (parts.length > 1) {
        String dev = parts[1].split("@")[0].trim();
        if (dev.matches(java.util.regex.Pattern.quote(prefix) + "v\\d+")) {
          Shell.run("ip", "link", "del", dev);
        }
      }
    }
    Shell.run("ip", "link", "del", bridge());
    hosts = 0;
    partition = List.of();
    cutFromDatabase.clear();
  }

  private static void killAllIn(String ns) {
    for (String sig : List.of("TERM", "KILL")) {
      String pids = Shell.run("ip", "netns", "pids", ns).output().trim();
      if (pids.isEmpty()) {
        return;
      }
      for (String pid : pids.split("\\s+")) {
        Shell.run("kill", "-CONT", pid);
        Shell.run("kill", "-" + sig, pid);
      }
      for (int k = 0; k < 50 && !Shell.run("ip", "netns", "pids", ns).output().isBlank(); k++) {
        sleep(100);
      }
    }
  }

  @Override
  public void close() {
    tearDown();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
