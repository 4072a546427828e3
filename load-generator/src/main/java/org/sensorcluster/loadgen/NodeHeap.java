package org.sensorcluster.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap of the node's JVM, read with {@code jcmd <pid> GC.run} and {@code GC.heap_info}: the
 * node must run on this machine.
 */
final class NodeHeap {

  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final long pid;

  NodeHeap(long pid) {
    this.pid = pid;
  }

  /** Heap used after a full GC, in bytes (two GCs: the first may only promote). */
  long heapAfterGc() throws IOException, InterruptedException {
    if (pid <= 0) {
      throw new IllegalStateException("--pid of the node is needed to read its heap");
    }
    jcmd("GC.run");
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("cannot read heap usage from: " + info);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }
}
