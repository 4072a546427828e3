package org.sensorcluster.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sensorcluster.domain.event.AlertCleared;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.domain.event.SensorEvent;
import org.sensorcluster.domain.event.SensorMetadataUpdated;
import org.sensorcluster.domain.event.SensorWentSilent;

/**
 * What one sensor knows about itself, rebuilt from its events (and stored in snapshots).
 *
 * @param readingCount readings stored so far (duplicates excluded)
 * @param lastReading the reading with the latest timestamp (a late reading never moves it back);
 *     null before the first
 * @param lastRecordedAt server time of the last stored event; null before the first
 * @param recentIds fingerprints of the newest reading ids, for duplicate detection
 * @param metadata what the operator registered; null when never registered (auto-registered by
 *     readings)
 * @param openAlert the alert open now, or null
 * @param alertsRaised how many alerts this sensor ever raised (the next one gets number
 *     alertsRaised + 1)
 * @param decommissionedAt when the sensor was decommissioned, or null while in service
 * @param silentAlert the silence alert open now (bound {@link AlertBound#SILENT}), or null while
 *     not silent
 */
public record SensorState(
    long readingCount,
    Reading lastReading,
    Instant lastRecordedAt,
    RecentReadingIds recentIds,
    SensorMetadata metadata,
    OpenAlert openAlert,
    long alertsRaised,
    Instant decommissionedAt,
    OpenAlert silentAlert) {

  public static final SensorState EMPTY =
      new SensorState(0, null, null, RecentReadingIds.EMPTY, null, null, 0, null);

  /** A state that is not silent. */
  public SensorState(
      long readingCount,
      Reading lastReading,
      Instant lastRecordedAt,
      RecentReadingIds recentIds,
      SensorMetadata metadata,
      OpenAlert openAlert,
      long alertsRaised,
      Instant decommissionedAt) {
    this(
        readingCount,
        lastReading,
        lastRecordedAt,
        recentIds,
        metadata,
        openAlert,
        alertsRaised,
        decommissionedAt,
        null);
  }

  public SensorState {
    if (recentIds == null) {
      recentIds = RecentReadingIds.EMPTY;
    }
  }

  /**
   * Whether an operator registered this sensor (PUT), as opposed to it only having sent readings.
   */
  public boolean registered() {
    return metadata != null;
  }

  /** Whether the sensor exists at all: registered or has readings. */
  public boolean known() {
    return metadata != null || readingCount > 0 || decommissionedAt != null;
  }

  public boolean decommissioned() {
    return decommissionedAt != null;
  }

  /**
   * Whether the sensor is silent now (a {@link SensorWentSilent} not yet followed by a reading).
   */
  public boolean silent() {
    return silentAlert != null;
  }

  /**
   * The sensor's own expected interval, else {@code fleetDefault} (null: silence is not watched).
   */
  public Duration expectedInterval(Duration fleetDefault) {
    Duration own = metadata == null ? null : metadata.expectedInterval();
    return own != null ? own : fleetDefault;
  }

  /**
   * The silence to write at {@code now}, or null: a sensor in service with readings, an expected
   * interval ({@link #expectedInterval}), not silent already, whose last readings were stored
   * longer than that interval before {@code now}. A sensor that never sent a reading is never
   * silent.
   */
  public SensorWentSilent silenceAt(Instant now, Duration fleetDefault) {
    Duration interval = expectedInterval(fleetDefault);
    if (interval == null
        || silent()
        || decommissioned()
        || lastRecordedAt == null
        || lastReading == null
        || !now.isAfter(lastRecordedAt.plus(interval))) {
      return null;
    }
    return new SensorWentSilent(alertsRaised + 1, lastReading, lastRecordedAt, interval, now);
  }

  private Thresholds thresholds() {
    return metadata == null ? null : metadata.thresholds();
  }

  /**
   * The events that store {@code toStore} (never empty): the readings, then any alert raised or
   * cleared by them. Only readings that become the newest one (not older than the last reading) are
   * compared with the thresholds, in the order sent: a late reading never flips the alert state.
   */
  public List<SensorEvent> eventsForReadings(List<Reading> toStore, Instant now) {
    return eventsForReadings(toStore, now, null);
  }

  /**
   * As {@link #eventsForReadings(List, Instant)}, the readings event carrying {@code requestId}.
   */
  public List<SensorEvent> eventsForReadings(List<Reading> toStore, Instant now, String requestId) {
    List<SensorEvent> events = new ArrayList<>(2);
    events.add(new ReadingsRecorded(toStore, now, requestId));
    if (silentAlert != null) { // the first reading after a silence ends it
      events.add(
          new AlertCleared(
              silentAlert.alertNumber(), AlertBound.SILENT, newest(toStore), null, now));
    }
    Thresholds t = thresholds();
    if (t == null) {
      return events;
    }
    AlertCursor cursor = new AlertCursor(openAlert, alertsRaised);
    Reading latest = lastReading;
    for (Reading r : toStore) {
      if (latest == null || !r.timestamp().isBefore(latest.timestamp())) {
        latest = r;
        cursor.evaluate(r, t, now, events);
      }
    }
    return events;
  }

  /**
   * The events that set {@code newMetadata}: the update, then the alert changes the new thresholds
   * cause when applied to the last reading (thresholds removed: an open alert clears).
   */
  public List<SensorEvent> eventsForMetadata(SensorMetadata newMetadata, Instant now) {
    List<SensorEvent> events = new ArrayList<>(2);
    events.add(new SensorMetadataUpdated(newMetadata, now));
    AlertCursor cursor = new AlertCursor(openAlert, alertsRaised);
    Thresholds t = newMetadata.thresholds();
    if (t == null) {
      if (openAlert != null) {
        events.add(
            new AlertCleared(openAlert.alertNumber(), openAlert.bound(), lastReading, null, now));
      }
    } else if (lastReading != null) {
      cursor.evaluate(lastReading, t, now, events);
    }
    return events;
  }

  private Reading newest(List<Reading> readings) {
    Reading latest = lastReading;
    for (Reading r : readings) {
      if (latest == null || !r.timestamp().isBefore(latest.timestamp())) {
        latest = r;
      }
    }
    return latest;
  }

  /**
   * The outcome of offering readings to this sensor: which are new, how many were duplicates, and
   * which (positions in the offered list) reuse a remembered readingId for a different reading.
   */
  public record Decision(List<Reading> toStore, int duplicates, List<Integer> conflicts) {
    public Decision(List<Reading> toStore, int duplicates) {
      this(toStore, duplicates, List.of());
    }
  }

  /** As {@link #decide(List, Instant)} for readings that all carry a client timestamp. */
  public Decision decide(List<Reading> incoming) {
    return decide(incoming, null);
  }

  /**
   * Splits {@code incoming} into readings to store, duplicates and conflicts. A reading whose id is
   * in {@link #recentIds} or appeared earlier in the same batch is a duplicate when it is the same
   * reading (same value and timestamp), else a conflict (stored neither time). A reading stamped
   * with {@code receivedAt} (the request's receive time: the client sent no timestamp) is compared
   * by value only, so a device without a clock can resend. Where the stored reading's content is
   * unknown (ids remembered by a snapshot from before contents were kept) a reused id counts as a
   * duplicate. Readings without id are always new.
   */
  public Decision decide(List<Reading> incoming, Instant receivedAt) {
    return DuplicateFilter.decide(recentIds, incoming, receivedAt);
  }

  /** The state after {@code event}; {@code idCapacity} is how many reading ids to remember. */
  public SensorState apply(SensorEvent event, int idCapacity) {
    return StateTransitions.apply(this, event, idCapacity);
  }
}
