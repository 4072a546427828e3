package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.sensorcluster.domain.EventTags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on every node after each generation refresh: swaps in a rebuilt generation once it has
 * caught up with the active one on every tag (see {@link #caughtUp}), and drops retired generations
 * after the grace period. Both are conditional updates of {@code read_model_generations}, so nodes
 * doing it at once do it once.
 */
final class RebuildCoordinator {

  private static final Logger log = LoggerFactory.getLogger(RebuildCoordinator.class);

  private final ReadModelDatabase db;
  private final Generations generations;
  private final ReadModelSettings settings;
  private final Clock clock;

  RebuildCoordinator(
      ReadModelDatabase db, Generations generations, ReadModelSettings settings, Clock clock) {
    this.db = db;
    this.generations = generations;
    this.settings = settings;
    this.clock = clock;
  }

  void run() throws SQLException {
    for (ReadModel model : generations.models()) {
      Generations.State s = generations.current(model);
      if (s == null) {
        continue;
      }
      if (s.building() != null && caughtUp(model, s.active(), s.building())) {
        if (generations.swap(model, s.active(), s.building(), clock.millis())) {
          long took = s.buildStartedAt() == null ? -1 : clock.millis() - s.buildStartedAt();
          log.info(
              "read model {}: generation {} caught up after {} ms and now answers queries (generation {} retired)",
              model.modelName(),
              s.building(),
              took,
              s.active());
        }
      }
      if (s.retired() != null
          && s.retiredAt() != null
          && clock.millis() - s.retiredAt() >= settings.retiredGrace().toMillis()) {
        generations.dropRetired(model, s.retired());
        log.info("read model {}: dropped retired generation {}", model.modelName(), s.retired());
      }
    }
  }

  /**
   * Whether {@code building} has, on every tag, reached the offset {@code active} had at the
   * previous run (about one generation-poll interval ago). The new generation then holds everything
   * the one in use held a moment ago, so the swap never shows a partial model, and under sustained
   * ingestion it is reachable because the rebuilt projection keeps pace with the journal head.
   */
  boolean caughtUp(ReadModel model, int active, int building) throws SQLException {
    Map<String, Long> offsets;
    try (Connection c = db.connection()) {
      try {
        offsets = JournalProbe.offsets(c);
      } finally {
        c.commit();
      }
    }
    Map<String, Long> activeNow = new HashMap<>();
    boolean reached = true;
    Map<String, Long> target = targets.get(model.modelName());
    for (int i = 0; i < settings.tagCount(); i++) {
      String tag = EventTags.tag(i);
      long a = offsets.getOrDefault(model.projectionName(active) + "/" + tag, 0L);
      long b = offsets.getOrDefault(model.projectionName(building) + "/" + tag, 0L);
      activeNow.put(tag, a);
      if (target == null || b < target.get(tag)) {
        reached = false;
      }
    }
    if (reached) {
      targets.remove(model.modelName());
      return true;
    }
    targets.put(model.modelName(), activeNow);
    return false;
  }

  // by model name
  private final Map<String, Map<String, Long>> targets = new HashMap<>();
}
