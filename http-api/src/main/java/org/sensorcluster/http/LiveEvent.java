package org.sensorcluster.http;

import org.sensorcluster.domain.SensorMetadata;
import org.sensorcluster.domain.event.SensorEvent;

/**
 * One element of a live stream ({@link LiveEvents}): a journal event of one sensor, or the stream's
 * start.
 *
 * @param id the position after this element, as a client sends it back in {@code Last-Event-ID} to
 *     resume; null only on a start whose position is not known (a single sensor's stream opened
 *     without one)
 * @param sensorId the sensor, null on the start
 * @param metadata the sensor's metadata as this node knows it (for the fleet filters), null when
 *     unknown
 * @param event the journal event, null on the start (the first element of every stream: subscribed)
 */
public record LiveEvent(
    String id, String sensorId, SensorMetadata metadata, SensorEvent event, Encoded encoded) {

  /** An element with a cache of its own (see {@link Encoded}). */
  public LiveEvent(String id, String sensorId, SensorMetadata metadata, SensorEvent event) {
    this(id, sensorId, metadata, event, new Encoded());
  }

  /** The first element of a stream: the client is subscribed from position {@code id}. */
  public static LiveEvent start(String id) {
    return new LiveEvent(id, null, null, null);
  }

  /** Equal when everything but the cache is ({@link Encoded} is how, not what). */
  @Override
  public boolean equals(Object o) {
    return o instanceof LiveEvent e
        && java.util.Objects.equals(id, e.id)
        && java.util.Objects.equals(sensorId, e.sensorId)
        && java.util.Objects.equals(metadata, e.metadata)
        && java.util.Objects.equals(event, e.event);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(id, sensorId, metadata, event);
  }

  /**
   * The event's JSON as the streams send it, computed once and shared by every client's copy of one
   * journal event (the live tail hands the same instance to all of them): a thousand clients cost
   * one serialisation per event, not a thousand.
   */
  public static final class Encoded {
    private volatile String json;

    String get(java.util.function.Supplier<String> encode) {
      String j = json;
      if (j == null) {
        j = encode.get(); // two clients may both compute it the first time: same result
        json = j;
      }
      return j;
    }
  }
}
