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
public record LiveEvent(String id, String sensorId, SensorMetadata metadata, SensorEvent event) {

  /** The first element of a stream: the client is subscribed from position {@code id}. */
  public static LiveEvent start(String id) {
    return new LiveEvent(id, null, null, null);
  }
}
