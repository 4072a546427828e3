package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.List;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.event.ReadingsRecorded;

/**
 * One journal event sent to many stream clients is serialised once: the clients' copies (each with
 * its own id) share the tail's {@link LiveEvent.Encoded}, so they get the very same JSON text.
 */
class StreamEventsTest {

  private static final ReadingsRecorded EVENT =
      new ReadingsRecorded(
          List.of(new Reading("r-1", Instant.parse("2026-12-04T10:00:00Z"), 21.5)),
          Instant.parse("2026-12-04T10:00:01Z"));

  @Test
  void copiesOfOneEventShareOneSerialisationAndKeepTheirOwnIds() {
    LiveEvent.Encoded shared = new LiveEvent.Encoded();
    ServerSentEvent a = StreamEvents.of(new LiveEvent("1.0", "s-1", null, EVENT, shared));
    ServerSentEvent b = StreamEvents.of(new LiveEvent("2.0", "s-1", null, EVENT, shared));
    assertSame(a.getData(), b.getData(), "serialised once");
    assertEquals("1.0", a.getId().orElseThrow());
    assertEquals("2.0", b.getId().orElseThrow());
    assertEquals("readings", b.getEventType().orElseThrow());
    assertEquals(
        "{\"sensorId\":\"s-1\",\"recordedAt\":\"2026-12-04T10:00:01Z\",\"readings\":"
            + "[{\"readingId\":\"r-1\",\"timestamp\":\"2026-12-04T10:00:00Z\",\"value\":21.5}]}",
        a.getData());
  }

  @Test
  void separateCachesSerialiseSeparatelyToTheSameText() {
    ServerSentEvent a = StreamEvents.of(new LiveEvent("1", "s-1", null, EVENT));
    ServerSentEvent b = StreamEvents.of(new LiveEvent("1", "s-1", null, EVENT));
    assertNotSame(a.getData(), b.getData());
    assertEquals(a.getData(), b.getData());
    assertEquals(new LiveEvent("1", "s-1", null, EVENT), new LiveEvent("1", "s-1", null, EVENT));
  }
}
