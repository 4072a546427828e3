package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sensorcluster.domain.EventTags;
import org.sensorcluster.domain.view.ModelLag;
import org.sensorcluster.domain.view.ProjectionStatus;

/**
 * Measures every projection instance (model x live generation x tag) against the journal: offset,
 * journal head of its tag, events not yet applied (counted up to {@link #LAG_COUNT_CAP}), age of
 * the oldest unapplied event, and events applied per second. {@link #measure} runs periodically;
 * the last measurement answers the lag headers of queries without a database round trip.
 */
public final class ProjectionProgress {

  /**
   * Lag in events is counted exactly up to this; beyond, it reads as this figure (a lower bound).
   */
  public static final long LAG_COUNT_CAP = 10_000;

  private record Sample(long atMillis, long offset, long appliedTotal) {}

  private final ReadModelDatabase db;
  private final Generations generations;
  private final ProjectionCounters counters;
  private final ReadModelSettings settings;
  private final Clock clock;
  private final Map<String, Sample> previous = new HashMap<>();
  private volatile List<ProjectionStatus> last = List.of();
  private volatile Map<String, ModelLag> lags = Map.of();
  private volatile long measuredAt;

  ProjectionProgress(
      ReadModelDatabase db,
      Generations generations,
      ProjectionCounters counters,
      ReadModelSettings settings,
      Clock clock) {
    this.db = db;
    this.generations = generations;
    this.counters = counters;
    this.settings = settings;
    this.clock = clock;
  }

  /** How old the latest measurement is (Long.MAX_VALUE before the first). */
  public long ageMillis() {
    return measuredAt == 0 ? Long.MAX_VALUE : Math.max(0, clock.millis() - measuredAt);
  }

  /** The latest measurement of every projection instance. */
  public List<ProjectionStatus> last() {
    return last;
  }

  /**
   * The latest lag of {@code model}'s active generation, summed over tags (worst tag for the time).
   */
  public ModelLag lag(String model) {
    ModelLag l = lags.get(model);
    if (l == null) {
      return null;
    }
    return new ModelLag(
        l.model(), l.events(), l.millis(), Math.max(0, clock.millis() - measuredAt));
  }

  /** Measures now and keeps the result. */
  public synchronized List<ProjectionStatus> measure() throws SQLException {
    long now = clock.millis();
    List<ProjectionStatus> out = new ArrayList<>();
    Map<String, ModelLag> newLags = new HashMap<>();
    try (Connection c = db.connection()) {
      try {
        Map<String, Long> offsets = JournalProbe.offsets(c);
        java.util.Set<String> paused = JournalProbe.paused(c);
        Map<String, Long> heads = new HashMap<>();
        for (int i = 0; i < settings.tagCount(); i++) {
          String tag = EventTags.tag(i);
          heads.put(tag, JournalProbe.head(c, tag));
        }
        for (ReadModel model : generations.models()) {
          Generations.State s = generations.current(model);
          if (s == null) {
            continue;
          }
          long modelEvents = 0;
          long modelMillis = 0;
          List<int[]> gens = new ArrayList<>();
          gens.add(new int[] {s.active(), 0});
          if (s.building() != null) {
            gens.add(new int[] {s.building(), 1});
          }
          for (int[] g : gens) {
            String name = model.projectionName(g[0]);
            for (int i = 0; i < settings.tagCount(); i++) {
              String tag = EventTags.tag(i);
              long head = heads.get(tag);
              long offset = offsets.getOrDefault(name + "/" + tag, 0L);
              long lagEvents = JournalProbe.countBetween(c, tag, offset, head, LAG_COUNT_CAP);
              long lagMillis = 0;
              if (lagEvents > 0) {
                long first = JournalProbe.firstWriteAfter(c, tag, offset);
                lagMillis = first < 0 ? 0 : Math.max(0, now - first);
              }
              double eps = eventsPerSecond(name, tag, offset, now);
              String state =
                  g[1] == 1
                      ? "rebuilding"
                      : paused.contains(name + "/" + tag) ? "paused" : "running";
              out.add(
                  new ProjectionStatus(
                      model.modelName(),
                      tag,
                      g[0],
                      state,
                      offset,
                      head,
                      lagEvents,
                      lagMillis,
                      eps));
              if (g[1] == 0) {
                modelEvents += lagEvents;
                modelMillis = Math.max(modelMillis, lagMillis);
              }
            }
          }
          newLags.put(
              model.modelName(), new ModelLag(model.modelName(), modelEvents, modelMillis, 0));
        }
      } finally {
        c.commit();
      }
    }
    last = List.copyOf(out);
    lags = Map.copyOf(newLags);
    measuredAt = now;
    return last;
  }

  /**
   * Exact when the instance runs on this node (its handler counts events); otherwise estimated from
   * how far its offset moved, assuming the tags share the journal evenly.
   */
  private double eventsPerSecond(String name, String tag, long offset, long now) {
    String key = name + "/" + tag;
    long applied = counters.total(name, tag);
    Sample prev = previous.put(key, new Sample(now, offset, applied));
    if (prev == null || now <= prev.atMillis()) {
      return 0;
    }
    double seconds = (now - prev.atMillis()) / 1000.0;
    if (applied >= 0 && prev.appliedTotal() >= 0) {
      return (applied - prev.appliedTotal()) / seconds;
    }
    return Math.max(0, offset - prev.offset()) / (double) settings.tagCount() / seconds;
  }
}
