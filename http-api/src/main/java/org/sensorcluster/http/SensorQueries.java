package org.sensorcluster.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
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
 * The read side as the HTTP layer sees it: queries over projected read models. Failed stages carry
 * {@link ServiceUnavailableException} when a read model cannot answer (database down, time bound
 * hit).
 */
public interface SensorQueries {

  /** Read model names, as used by {@link #lag}, {@link #awaitApplied} and the admin routes. */
  String SENSOR_LATEST = "sensor_latest";

  String READINGS = "readings";
  String ROLLUPS = "rollups";
  String ALERTS = "alerts";

  /**
   * The sensor's row in {@code sensor_latest}, empty when the sensor is unknown to the read model.
   */
  CompletionStage<Optional<SensorSummary>> latest(String sensorId);

  /** A page of {@code sensor_latest} rows matching {@code filter}, ordered by sensor id. */
  CompletionStage<Page<SensorSummary>> sensors(SensorFilter filter);

  /**
   * Readings of one sensor in [from, to). {@code step} null means auto: raw when the range holds at
   * most {@code maxPoints} readings, else 1-minute buckets when they number at most maxPoints, else
   * 1-hour buckets (truncated to maxPoints if even those are too many).
   */
  CompletionStage<Series> readings(
      String sensorId, Instant from, Instant to, Step step, int maxPoints);

  /** A page of alerts matching {@code filter}, newest raised first. */
  CompletionStage<Page<AlertView>> alerts(AlertFilter filter);

  /** Fleet overview. */
  CompletionStage<FleetStats> stats();

  /**
   * Whether the sensor has any event in the journal: a strongly consistent read of a sensor that
   * has none answers 404 without starting (and recovering) its entity.
   */
  CompletionStage<Boolean> inJournal(String sensorId);

  /**
   * Completes with true once read model {@code model} has applied the sensor's event with sequence
   * number {@code seqNr} (or a later one), with false when {@code timeout} passes first. Fails at
   * once with {@link IllegalArgumentException} when the sensor's journal ends before {@code seqNr}
   * (no acknowledged write ever had it: waiting cannot help).
   */
  CompletionStage<Boolean> awaitApplied(
      String model, String sensorId, long seqNr, Duration timeout);

  /** The latest lag measurement of read model {@code model} (cheap: no database round trip). */
  ModelLag lag(String model);
}
