package org.sensorcluster.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.Refusal;
import org.sensorcluster.domain.SensorId;
import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.SensorSummary;

/**
 * Test fake of the write side (the sensor entities): keeps readings per sensor in memory, detects
 * duplicates by readingId, and can be switched to fail, time out, or hold {@code record()} open.
 */
final class InMemoryGateway implements SensorGateway {

  /** How {@link #record} behaves. */
  enum Mode {
    /** Store and confirm at once. */
    NORMAL,
    /**
     * Fail with {@link ServiceUnavailableException} (retry after {@link #UNAVAILABLE_RETRY_AFTER}).
     */
    UNAVAILABLE,
    /** Never confirm; the stage fails with {@link TimeoutException} after {@link #TIMEOUT}. */
    TIMEOUT,
    /** Keep the call open until {@link #release()}; the readings are stored only then. */
    HOLD
  }

  static final Duration UNAVAILABLE_RETRY_AFTER = Duration.ofSeconds(7);
  static final Duration TIMEOUT = Duration.ofMillis(100);

  /** One call of {@link #record}, as the gateway received it. */
  record Call(SensorId sensor, List<Reading> readings, String requestId) {}

  private final Instant recordedAt;
  private final Map<SensorId, List<Reading>> stored = new LinkedHashMap<>();
  private final Map<SensorId, Map<String, Reading>> seenIds = new HashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private final List<SensorId> summariesAsked = new ArrayList<>();
  private final Set<SensorId> failingSensors = new HashSet<>();
  private final Set<SensorId> heldSensors = new HashSet<>();
  private final Map<SensorId, SensorMetadata> metadata = new HashMap<>();
  private final Map<SensorId, Long> seqNrs = new HashMap<>();
  private final Set<SensorId> decommissioned = new HashSet<>();
  private boolean autoRegister = true;
  private Mode mode = Mode.NORMAL;
  private boolean summaryFails;
  private CompletableFuture<Void> gate = new CompletableFuture<>();

  InMemoryGateway(Instant recordedAt) {
    this.recordedAt = recordedAt;
  }

  // ---- switches ------------------------------------------------------------------------------

  void reset() {
    CompletableFuture<Void> held;
    synchronized (this) {
      held = gate;
      gate = new CompletableFuture<>();
      clearState();
    }
    // never leave a held call behind, and never let it store into the next test's state;
    // completed outside the lock because completing runs the callers' callbacks
    held.completeExceptionally(
        new ServiceUnavailableException("gateway reset by the test", Duration.ofSeconds(1)));
  }

  private void clearState() {
    stored.clear();
    seenIds.clear();
    calls.clear();
    summariesAsked.clear();
    failingSensors.clear();
    heldSensors.clear();
    metadata.clear();
    seqNrs.clear();
    decommissioned.clear();
    autoRegister = true;
    mode = Mode.NORMAL;
    summaryFails = false;
  }

  synchronized void mode(Mode mode) {
    this.mode = mode;
  }

  /**
   * {@code record()} for this sensor fails with {@link ServiceUnavailableException}; others work.
   */
  synchronized void failFor(String sensorId) {
    failingSensors.add(SensorId.of(sensorId));
  }

  /** {@code record()} for this sensor is held open until {@link #release()}, whatever the mode. */
  synchronized void holdFor(String sensorId) {
    heldSensors.add(SensorId.of(sensorId));
  }

  synchronized void autoRegister(boolean on) {
    this.autoRegister = on;
  }

  /** Whether the sensor has anything "in its journal": readings, metadata or a decommissioning. */
  synchronized boolean known(String sensorId) {
    SensorId id = SensorId.of(sensorId);
    return stored.containsKey(id) || metadata.containsKey(id) || decommissioned.contains(id);
  }

  synchronized SensorMetadata metadataOf(String sensorId) {
    return metadata.get(SensorId.of(sensorId));
  }

  synchronized void summaryFails(boolean fails) {
    this.summaryFails = fails;
  }

  /**
   * Completes every call held in {@link Mode#HOLD}; later calls still hold while the mode is HOLD.
   */
  void release() {
    CompletableFuture<Void> held;
    synchronized (this) {
      held = gate;
      gate = new CompletableFuture<>();
    }
    held.complete(null);
  }

  // ---- observations --------------------------------------------------------------------------

  synchronized int recordCalls() {
    return calls.size();
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The sensors {@code record()} was called for, in call order (with repeats). */
  synchronized List<String> sensorsAsked() {
    return calls.stream().map(c -> c.sensor().value()).toList();
  }

  synchronized List<String> summariesAsked() {
    return summariesAsked.stream().map(SensorId::value).toList();
  }

  synchronized List<Reading> stored(String sensorId) {
    return List.copyOf(stored.getOrDefault(SensorId.of(sensorId), List.of()));
  }

  /** Sensors registered or decommissioned since the last {@link #reset()}. */
  synchronized int registryChanges() {
    return metadata.size() + decommissioned.size();
  }

  synchronized int totalStored() {
    return stored.values().stream().mapToInt(List::size).sum();
  }

  /** Waits (briefly) until {@code record()} has been called at least {@code n} times. */
  void awaitRecordCalls(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (recordCalls() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "record() was called " + recordCalls() + " time(s), expected at least " + n);
      }
      Thread.sleep(5);
    }
  }

  // ---- SensorGateway -------------------------------------------------------------------------

  @Override
  public synchronized CompletionStage<RecordOutcome> record(
      SensorId sensor,
      List<Reading> readings,
      String requestId,
      Instant receivedAt,
      boolean mayCreate) {
    List<Reading> copy = List.copyOf(readings);
    calls.add(new Call(sensor, copy, requestId));
    boolean isNew = !stored.containsKey(sensor) && !metadata.containsKey(sensor);
    if (isNew && !mayCreate) {
      return CompletableFuture.completedFuture(
          new RecordOutcome(0, 0, 0, Refusal.NEW_SENSOR_QUOTA));
    }
    if (decommissioned.contains(sensor)) {
      return CompletableFuture.completedFuture(
          new RecordOutcome(0, 0, sequenceNr(sensor), Refusal.DECOMMISSIONED));
    }
    if (!autoRegister && !metadata.containsKey(sensor)) {
      return CompletableFuture.completedFuture(
          new RecordOutcome(0, 0, sequenceNr(sensor), Refusal.NOT_REGISTERED));
    }
    if (failingSensors.contains(sensor)) {
      return CompletableFuture.failedFuture(
          new ServiceUnavailableException(
              "journal of " + sensor + " is unavailable", UNAVAILABLE_RETRY_AFTER));
    }
    if (heldSensors.contains(sensor)) {
      return gate.thenApply(v -> store(sensor, copy, receivedAt));
    }
    return switch (mode) {
      case NORMAL -> CompletableFuture.completedFuture(store(sensor, copy, receivedAt));
      case UNAVAILABLE ->
          CompletableFuture.failedFuture(
              new ServiceUnavailableException("journal unavailable", UNAVAILABLE_RETRY_AFTER));
      case TIMEOUT ->
          new CompletableFuture<RecordOutcome>()
              .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      case HOLD -> gate.thenApply(v -> store(sensor, copy, receivedAt));
    };
  }

  @Override
  public synchronized CompletionStage<SensorSummary> summary(SensorId sensor) {
    summariesAsked.add(sensor);
    if (summaryFails) {
      return CompletableFuture.failedFuture(
          new ServiceUnavailableException("entity did not answer", UNAVAILABLE_RETRY_AFTER));
    }
    List<Reading> readings = stored.getOrDefault(sensor, List.of());
    Reading last = null;
    for (Reading r : readings) {
      if (last == null || !r.timestamp().isBefore(last.timestamp())) {
        last = r;
      }
    }
    return CompletableFuture.completedFuture(
        new SensorSummary(
            sensor.value(),
            readings.size(),
            last,
            readings.isEmpty() ? null : recordedAt,
            readings.size()));
  }

  private long sequenceNr(SensorId sensor) {
    return seqNrs.getOrDefault(sensor, 0L);
  }

  @Override
  public synchronized CompletionStage<ChangeOutcome> updateMetadata(
      SensorId sensor, SensorMetadata m) {
    if (mode == Mode.UNAVAILABLE) {
      return CompletableFuture.failedFuture(
          new ServiceUnavailableException("journal unavailable", UNAVAILABLE_RETRY_AFTER));
    }
    if (decommissioned.contains(sensor)) {
      return CompletableFuture.completedFuture(
          new ChangeOutcome(false, false, sequenceNr(sensor), Refusal.DECOMMISSIONED));
    }
    boolean created = metadata.put(sensor, m) == null;
    seqNrs.merge(sensor, 1L, Long::sum);
    return CompletableFuture.completedFuture(
        new ChangeOutcome(created, true, sequenceNr(sensor), null));
  }

  @Override
  public synchronized CompletionStage<ChangeOutcome> decommission(SensorId sensor) {
    if (decommissioned.contains(sensor)) {
      return CompletableFuture.completedFuture(
          new ChangeOutcome(false, false, sequenceNr(sensor), null));
    }
    if (!metadata.containsKey(sensor) && !stored.containsKey(sensor)) {
      return CompletableFuture.completedFuture(
          new ChangeOutcome(false, false, 0, Refusal.NOT_REGISTERED));
    }
    decommissioned.add(sensor);
    seqNrs.merge(sensor, 1L, Long::sum);
    return CompletableFuture.completedFuture(
        new ChangeOutcome(false, true, sequenceNr(sensor), null));
  }

  /**
   * De-duplicates like SensorState.decide: same id and reading again is a duplicate, another
   * reading a conflict.
   */
  private synchronized RecordOutcome store(
      SensorId sensor, List<Reading> readings, Instant receivedAt) {
    boolean isNew = !stored.containsKey(sensor) && !metadata.containsKey(sensor);
    List<Reading> list = stored.computeIfAbsent(sensor, k -> new ArrayList<>());
    Map<String, Reading> ids = seenIds.computeIfAbsent(sensor, k -> new HashMap<>());
    int accepted = 0;
    int duplicates = 0;
    List<Integer> conflicts = new ArrayList<>();
    for (int i = 0; i < readings.size(); i++) {
      Reading r = readings.get(i);
      Reading before = r.readingId() == null ? null : ids.get(r.readingId());
      if (before == null) {
        if (r.readingId() != null) {
          ids.put(r.readingId(), r);
        }
        list.add(r);
        accepted++;
      } else if (before.value() == r.value()
          && (before.timestamp().equals(r.timestamp()) || r.timestamp().equals(receivedAt))) {
        duplicates++;
      } else {
        conflicts.add(i);
      }
    }
    if (accepted > 0) {
      seqNrs.merge(sensor, 1L, Long::sum);
    }
    return new RecordOutcome(
        accepted, duplicates, sequenceNr(sensor), null, conflicts, isNew && accepted > 0);
  }
}
