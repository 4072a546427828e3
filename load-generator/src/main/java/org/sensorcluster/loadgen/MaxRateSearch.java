package org.sensorcluster.loadgen;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code --find-max}: the highest arrival rate the server sustains. Runs open-loop steps at {@code
 * start, start*f, start*f^2, ...} until one breaks, then bisects {@code refine} times between the
 * last good and the first broken rate. A step is good when, in its measured window: no transport
 * errors, every reply a 202, at most 0.5% of due arrivals left unsent, p99 ack latency (from the
 * intended send time) within {@code maxP99}, and acknowledged readings/s at least 95% of the
 * offered rate. Each step uses fresh readingIds (run id + step number).
 */
final class MaxRateSearch {

  record Settings(
      double startRequestsPerSecond,
      double stepFactor,
      Duration maxP99,
      int maxSteps,
      int refine,
      Duration stepPause) {
    Settings {
      if (!(startRequestsPerSecond > 0))
        throw new IllegalArgumentException(
            "--find-max needs --start-rate or --start-reading-rate > 0");
      if (!(stepFactor > 1)) throw new IllegalArgumentException("--step-factor must be > 1");
      if (maxSteps < 1) throw new IllegalArgumentException("--max-steps must be >= 1");
      if (refine < 0) throw new IllegalArgumentException("--refine must be >= 0");
    }
  }

  /** One step: its result and verdict. */
  record Step(LoadResult result, String failure) {
    boolean good() {
      return failure == null;
    }
  }

  /** The search: every step, and the best good one (null when even the first step broke). */
  record Outcome(LoadSettings settings, List<Step> steps, Step best) {
    String line() {
      if (best == null) {
        return String.format(
            Locale.ROOT,
            "find-max %s: no sustainable rate found (first step at %.0f readings/s broke: %s)",
            settings.mode().name().toLowerCase(Locale.ROOT),
            steps.get(0).result().settings().readingsPerSecond(),
            steps.get(0).failure());
      }
      LoadResult r = best.result();
      return String.format(
          Locale.ROOT,
          "find-max %s: max sustainable %.0f readings/s (%.1f req/s), ack p99 %.1f ms at that rate; %d steps",
          settings.mode().name().toLowerCase(Locale.ROOT),
          r.settings().readingsPerSecond(),
          r.settings().requestsPerSecond(),
          r.ackMillis(99),
          steps.size());
    }

    String json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "find-max");
      m.put("label", settings.label());
      m.put("mode", settings.mode().name().toLowerCase(Locale.ROOT));
      m.put("max_p99_ms", settings.findMax().maxP99().toNanos() / 1e6);
      m.put(
          "max_requests_per_s",
          best == null ? null : LoadResult.round(best.result().settings().requestsPerSecond()));
      m.put(
          "max_readings_per_s",
          best == null ? null : LoadResult.round(best.result().settings().readingsPerSecond()));
      m.put("best", best == null ? null : best.result().toMap());
      List<Map<String, Object>> s = new ArrayList<>();
      for (Step step : steps) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(
            "offered_readings_per_s",
            LoadResult.round(step.result().settings().readingsPerSecond()));
        one.put("acked_readings_per_s", LoadResult.round(step.result().ackedReadingsPerSecond()));
        one.put("p99_ms", LoadResult.round(step.result().ackMillis(99)));
        one.put("non_202", step.result().non202());
        one.put("errors", step.result().errors());
        one.put("unsent", step.result().unsent());
        one.put("verdict", step.good() ? "good" : step.failure());
        s.add(one);
      }
      m.put("steps", s);
      return LoadResult.toJson(m);
    }
  }

  private MaxRateSearch() {}

  static Outcome run(LoadSettings settings, Clock clock, Consumer<String> progress)
      throws IOException {
    Settings search = settings.findMax();
    List<Step> steps = new ArrayList<>();
    Step best = null;
    double rate = search.startRequestsPerSecond();
    double broken = Double.NaN;
    for (int i = 0; i < search.maxSteps(); i++) {
      Step step = step(settings, rate, steps.size(), clock, progress);
      steps.add(step);
      if (!step.good()) {
        broken = rate;
        break;
      }
      best = step;
      rate *= search.stepFactor();
    }
    if (best != null && !Double.isNaN(broken)) {
      double lo = best.result().settings().requestsPerSecond();
      double hi = broken;
      for (int i = 0; i < search.refine(); i++) {
        double mid = (lo + hi) / 2;
        Step step = step(settings, mid, steps.size(), clock, progress);
        steps.add(step);
        if (step.good()) {
          best = step;
          lo = mid;
        } else {
          hi = mid;
        }
      }
    }
    return new Outcome(settings, steps, best);
  }

  private static Step step(
      LoadSettings settings, double rate, int index, Clock clock, Consumer<String> progress)
      throws IOException {
    if (index > 0) pause(settings.findMax().stepPause());
    LoadSettings s = settings.withRequestsPerSecond(rate).withRunId(settings.runId() + "s" + index);
    LoadResult r = LoadGenerator.run(s, clock);
    String failure = verdict(r, settings.findMax().maxP99());
    progress.accept(
        String.format(
            Locale.ROOT,
            "  step %d: %s -> %s",
            index,
            r.line(),
            failure == null ? "good" : failure));
    return new Step(r, failure);
  }

  /** Why a step is not sustainable, or null when it is. */
  static String verdict(LoadResult r, Duration maxP99) {
    if (r.errors() > 0) return r.errors() + " transport errors";
    if (r.non202() > 0) return r.non202() + " non-202 replies " + r.statusCounts();
    if (r.unsent() > 0.005 * Math.max(1, r.sentInWindow() + r.unsent())) {
      return r.unsent() + " due requests never sent (client fell behind the schedule)";
    }
    if (r.ackLatency().getTotalCount() == 0) return "nothing acknowledged";
    double p99 = r.ackMillis(99);
    if (p99 > maxP99.toNanos() / 1e6)
      return String.format(Locale.ROOT, "p99 %.1f ms > %.1f ms", p99, maxP99.toNanos() / 1e6);
    if (r.ackedReadingsPerSecond() < 0.95 * r.settings().readingsPerSecond()) {
      return String.format(
          Locale.ROOT,
          "acknowledged %.0f < 95%% of offered %.0f readings/s",
          r.ackedReadingsPerSecond(),
          r.settings().readingsPerSecond());
    }
    return null;
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
