package org.sensorcluster.node;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Halts the process when it resumes from a pause (SIGSTOP, a stalled VM, an endless GC) longer than
 * the other members need to mark it unreachable and down it (failure detection + the split-brain
 * resolver's stable-after). By then its sensors may already run on another node, so anything this
 * process still had queued for the journal would be a second writer. A dedicated thread looks at
 * the clock every 50 ms; after such a gap it halts at once, before the journal's threads get to
 * send what they had pending (the journal's primary key stays the backstop). Writes that were
 * mid-transaction when the pause began are ended by PostgreSQL's idle-in-transaction timeout. Only
 * in a cluster of more than one member: a lone node is downed by nobody.
 */
final class PauseFence {

  private PauseFence() {}

  static void start(ActorSystem<?> system, Duration haltAfter) {
    if (haltAfter.isZero() || haltAfter.isNegative()) {
      return;
    }
    long limit = haltAfter.toNanos();
    Thread t =
        new Thread(
            () -> {
              long last = System.nanoTime();
              while (true) {
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
                long now = System.nanoTime();
                long gap = now - last;
                last = now;
                if (gap > limit && clustered(system)) {
                  System.err.printf(
                      "sensor node: this process was paused for %d ms, longer than the cluster needs to down"
                          + " it (%d ms); its sensors may live on another node now: halting so that nothing pending is"
                          + " written twice%n",
                      gap / 1_000_000, haltAfter.toMillis());
                  System.err.flush();
                  Runtime.getRuntime().halt(70);
                }
              }
            },
            "pause-fence");
    t.setDaemon(true);
    t.setPriority(Thread.MAX_PRIORITY);
    t.start();
  }

  private static boolean clustered(ActorSystem<?> system) {
    java.util.Iterator<org.apache.pekko.cluster.Member> it =
        Cluster.get(system).state().getMembers().iterator();
    return it.hasNext() && it.next() != null && it.hasNext();
  }
}
