package org.sensorcluster.http;

import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The journal's events as they are written, for the Server-Sent Event routes. Every source starts
 * with {@link LiveEvent#start}; without a {@code Last-Event-ID} it then carries the events written
 * from now on, with one it first replays what the journal holds after that position (no gap, no
 * repeat). A client too slow to keep up fails its source (the server ends the response) rather than
 * growing a buffer.
 */
public interface LiveEvents {

  /**
   * Events of every sensor. Ids are positions in the whole journal.
   *
   * @throws IllegalArgumentException when {@code lastEventId} is not a position of this stream
   */
  Source<LiveEvent, NotUsed> fleet(Optional<String> lastEventId);

  /**
   * Events of one sensor. Ids are the sensor's sequence numbers.
   *
   * @throws IllegalArgumentException when {@code lastEventId} is not a sequence number
   */
  Source<LiveEvent, NotUsed> sensor(String sensorId, Optional<String> lastEventId);
}
