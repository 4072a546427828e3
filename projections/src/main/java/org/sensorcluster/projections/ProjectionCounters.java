package org.sensorcluster.projections;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Events applied by the projection instances running on this node, per projection name and tag. */
public final class ProjectionCounters {

  /** One instance's running total. */
  public static final class Counter {
    private final LongAdder adder = new LongAdder();

    public void add(long n) {
      adder.add(n);
    }

    long total() {
      return adder.sum();
    }
  }

  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

  Counter counter(String projectionName, String tag) {
    return counters.computeIfAbsent(projectionName + "/" + tag, k -> new Counter());
  }

  /** The total of that instance on this node, or -1 when it never ran here. */
  long total(String projectionName, String tag) {
    Counter c = counters.get(projectionName + "/" + tag);
    return c == null ? -1 : c.total();
  }
}
