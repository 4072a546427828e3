package org.sensorcluster.systemtest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * N "hosts" as Linux network namespaces ({@code <prefix>1..N}) joined by veth pairs to one bridge
 * ({@code <prefix>br0}, address {@code <subnet>.1}); host i has {@code <subnet>.(10+i)} and no
 * default route, so it reaches nothing but its peers and the bridge address.
 *
 * <p>Faults are iptables DROP rules inside the namespaces, INPUT side (silent drops: peers see
 * timeouts, never a reset), in two chains of our own that are replaced as a whole with one {@code
 * iptables-restore --noflush} per namespace ({@link FaultRules}). The root namespace's firewall is
 * never touched. Partitions drop packets from the other side's host addresses only: the load driver
 * and the readiness probes come from the bridge address and keep reaching every node (clients can
 * still talk to a minority node, which must refuse writes). A database cut drops what comes from
 * the forwarder's port ({@code <subnet>.1:5432}), so HTTP from the bridge address still gets
 * through.
 *
 * <p>{@link #setUp} first removes whatever an aborted run left (namespaces, veths, bridge with our
 * prefix); {@link #tearDown} kills what still runs in the namespaces and removes everything.
 */
final class NetworkNamespaces implements AutoCloseable {

  private final HarnessSettings settings;
  private final String prefix;
  private final FaultRules rules;
  private int hosts;

  NetworkNamespaces(HarnessSettings settings) {
    this.settings = settings;
    this.prefix = settings.namePrefix();
    this.rules = new FaultRules(this, settings);
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
      FaultRules.installChains(ns);
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
    rules.partition(groups);
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
    rules.cutDatabase(i);
  }

  synchronized void restoreDatabase(int i) {
    rules.restoreDatabase(i);
  }

  /** Removes every fault rule in every host. */
  synchronized void heal() {
    rules.heal();
  }

  synchronized String describeFaults() {
    return rules.describe();
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
    rules.forget();
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
