package org.sensorcluster.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.sensorcluster.domain.SensorSummary;
import org.sensorcluster.domain.view.AlertFilter;
import org.sensorcluster.domain.view.AlertView;
import org.sensorcluster.domain.view.FleetStats;
import org.sensorcluster.domain.view.ModelLag;
import org.sensorcluster.domain.view.Page;
import org.sensorcluster.domain.view.SensorFilter;
import org.sensorcluster.domain.view.Series;
import org.sensorcluster.domain.view.Step;

/**
 * Test fake of the read side: rows in maps, answers computed naively, every request recorded so
 * tests can check what the routes asked for, a switch to fail, and settable "applied" sequence
 * numbers for read-your-writes.
 */
final class InMemoryQueries implements SensorQueries {

  static final Duration UNAVAILABLE_RETRY_AFTER = Duration.ofSeconds(4);

  /** One readings query as the routes made it. */
  record ReadingsCall(String sensorId, Instant from, Instant to, Step step, int maxPoints) {}

  private final TreeMap<String, SensorSummary> rows = new TreeMap<>();
  private final List<String> asked = new ArrayList<>();
  private final List<SensorFilter> sensorFilters = new ArrayList<>();
  private final List<AlertFilter> alertFilters = new ArrayList<>();
  private final List<ReadingsCall> readingsCalls = new ArrayList<>();
  private final List<AlertView> alerts = new ArrayList<>();
  private final Map<String, Long> applied = new HashMap<>();
  private final Map<String, Long> journalHeads = new HashMap<>();
  private final Map<String, ModelLag> lags = new HashMap<>();
  private Long otherJournalHeads;
  private Series series;
  private FleetStats stats;
  private boolean failing;

  /** What the journal holds: the test gateway's sensors (set by {@link ApiTestBase}). */
  private java.util.function.Predicate<String> journal = id -> true;

  private final List<String> journalAsked = new ArrayList<>();

  synchronized void journal(java.util.function.Predicate<String> known) {
    this.journal = known;
  }

  synchronized List<String> journalAsked() {
    return List.copyOf(journalAsked);
  }

  synchronized void reset() {
    journalAsked.clear();
    rows.clear();
    asked.clear();
    sensorFilters.clear();
    alertFilters.clear();
    readingsCalls.clear();
    alerts.clear();
    applied.clear();
    journalHeads.clear();
    otherJournalHeads = null;
    lags.clear();
    series = null;
    stats = null;
    failing = false;
  }

  synchronized void put(SensorSummary summary) {
    rows.put(summary.sensorId(), summary);
  }

  synchronized void putAlert(AlertView alert) {
    alerts.add(alert);
  }

  synchronized void series(Series s) {
    this.series = s;
  }

  synchronized void stats(FleetStats s) {
    this.stats = s;
  }

  synchronized void lag(ModelLag lag) {
    lags.put(lag.model(), lag);
  }

  /** Read model {@code model} has applied the sensor's events up to {@code seqNr}. */
  synchronized void applied(String model, String sensorId, long seqNr) {
    applied.put(model + "/" + sensorId, seqNr);
  }

  /**
   * The sensor's journal ends at {@code seqNr}: awaiting a later one fails at once, as the real one
   * does.
   */
  synchronized void journalHead(String sensorId, long seqNr) {
    journalHeads.put(sensorId, seqNr);
  }

  /**
   * Every sensor without a {@link #journalHead} of its own has a journal ending at {@code seqNr}.
   */
  synchronized void otherJournalHeads(long seqNr) {
    otherJournalHeads = seqNr;
  }

  synchronized void failing(boolean failing) {
    this.failing = failing;
  }

  synchronized List<String> asked() {
    return List.copyOf(asked);
  }

  synchronized List<SensorFilter> sensorFilters() {
    return List.copyOf(sensorFilters);
  }

  synchronized List<AlertFilter> alertFilters() {
    return List.copyOf(alertFilters);
  }

  synchronized List<ReadingsCall> readingsCalls() {
    return List.copyOf(readingsCalls);
  }

  private <T> CompletionStage<T> answer(T value) {
    if (failing) {
      return CompletableFuture.failedFuture(
          new ServiceUnavailableException("read model unavailable", UNAVAILABLE_RETRY_AFTER));
    }
    return CompletableFuture.completedFuture(value);
  }

  @Override
  public synchronized CompletionStage<Optional<SensorSummary>> latest(String sensorId) {
    asked.add(sensorId);
    return answer(Optional.ofNullable(rows.get(sensorId)));
  }

  @Override
  public synchronized CompletionStage<Page<SensorSummary>> sensors(SensorFilter f) {
    sensorFilters.add(f);
    List<SensorSummary> matching = new ArrayList<>();
    for (SensorSummary s :
        (f.afterSensorId() == null ? rows : rows.tailMap(f.afterSensorId(), false)).values()) {
      if (f.type() != null && (s.metadata() == null || !f.type().equals(s.metadata().type()))) {
        continue;
      }
      if (f.labelKey() != null
          && (s.metadata() == null
              || !s.metadata().labels().containsKey(f.labelKey())
              || f.labelValue() != null
                  && !f.labelValue().equals(s.metadata().labels().get(f.labelKey())))) {
        continue;
      }
      if (f.alerting() != null && f.alerting() != (s.openAlert() != null)) {
        continue;
      }
      if (f.silent() != null && f.silent() != (s.silentSince() != null)) {
        continue;
      }
      matching.add(s);
    }
    boolean more = matching.size() > f.limit();
    return answer(new Page<>(more ? matching.subList(0, f.limit()) : matching, more));
  }

  @Override
  public synchronized CompletionStage<Series> readings(
      String sensorId, Instant from, Instant to, Step step, int maxPoints) {
    readingsCalls.add(new ReadingsCall(sensorId, from, to, step, maxPoints));
    Series s =
        series != null
            ? series
            : new Series(
                sensorId, step == null ? Step.RAW : step, from, to, List.of(), List.of(), false);
    return answer(s);
  }

  private static final Comparator<AlertView> ORDER =
      Comparator.comparing(AlertView::raisedAt)
          .reversed()
          .thenComparing(AlertView::sensorId)
          .thenComparingLong(AlertView::alertNumber);

  @Override
  public synchronized CompletionStage<Page<AlertView>> alerts(AlertFilter f) {
    alertFilters.add(f);
    List<AlertView> sorted = new ArrayList<>(alerts);
    sorted.sort(ORDER);
    List<AlertView> matching = new ArrayList<>();
    for (AlertView a : sorted) {
      if (f.open() != null && f.open() != a.open()) {
        continue;
      }
      if (f.sensorId() != null && !f.sensorId().equals(a.sensorId())) {
        continue;
      }
      if (f.after() != null) {
        AlertView key =
            new AlertView(
                f.after().sensorId(),
                f.after().alertNumber(),
                a.bound(),
                f.after().raisedAt(),
                0,
                null,
                null,
                null,
                null);
        if (ORDER.compare(a, key) <= 0) {
          continue;
        }
      }
      matching.add(a);
    }
    boolean more = matching.size() > f.limit();
    return answer(new Page<>(more ? matching.subList(0, f.limit()) : matching, more));
  }

  @Override
  public synchronized CompletionStage<FleetStats> stats() {
    return answer(stats);
  }

  @Override
  public synchronized CompletionStage<Boolean> inJournal(String sensorId) {
    journalAsked.add(sensorId);
    return answer(journal.test(sensorId));
  }

  @Override
  public CompletionStage<Boolean> awaitApplied(
      String model, String sensorId, long seqNr, Duration timeout) {
    synchronized (this) {
      Long head = journalHeads.getOrDefault(sensorId, otherJournalHeads);
      if (head != null && seqNr > head) {
        return CompletableFuture.failedFuture(
            new IllegalArgumentException(
                "the journal of sensor " + sensorId + " ends at sequence number " + head));
      }
    }
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    Runnable[] poll = new Runnable[1];
    poll[0] =
        () -> {
          long have;
          synchronized (this) {
            have = applied.getOrDefault(model + "/" + sensorId, 0L);
          }
          if (have >= seqNr) {
            result.complete(true);
          } else if (System.nanoTime() > deadline) {
            result.complete(false);
          } else {
            CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS).execute(poll[0]);
          }
        };
    poll[0].run();
    return result;
  }

  @Override
  public synchronized ModelLag lag(String model) {
    return lags.getOrDefault(model, new ModelLag(model, 0, 0, 0));
  }
}
