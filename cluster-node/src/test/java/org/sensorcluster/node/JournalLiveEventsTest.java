package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.BufferOverflowException;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sensorcluster.domain.event.ReadingsRecorded;
import org.sensorcluster.http.LiveEvent;
import org.sensorcluster.node.it.TestNodes;

/**
 * A client of the shared tail that stops reading is failed once its buffer is full, while a client
 * that reads on gets every event (a node on H2, a tail of its own with a 4-event client buffer).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalLiveEventsTest {

  static final int CLIENT_BUFFER = 4;
  static final int READINGS = 30;

  @TempDir static Path dataDir;
  SensorNode node;

  @BeforeAll
  void start() {
    node = TestNodes.start(TestNodes.h2(dataDir));
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void aClientThatStopsReadingIsDroppedWithoutHoldingBackTheOthers() throws Exception {
    JournalLiveEvents live =
        JournalLiveEvents.start(
            node.system(),
            8,
            0,
            16,
            CLIENT_BUFFER,
            new SensorMetadataCache(10, id -> CompletableFuture.completedFuture(Optional.empty())));
    TestSubscriber.Probe<LiveEvent> slow =
        live.fleet(Optional.empty()).runWith(TestSink.create(node.system()), node.system());
    slow.request(1);
    slow.expectNext(Duration.ofSeconds(10)); // the start: attached
    TestSubscriber.Probe<LiveEvent> reader =
        live.fleet(Optional.empty()).runWith(TestSink.create(node.system()), node.system());
    reader.request(Long.MAX_VALUE); // reads on: the probe queues what it gets
    reader.expectNext(Duration.ofSeconds(10));
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < READINGS; i++) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + node.httpPort()
                              + "/api/v1/sensors/slow-1/readings"))
                  .header("Authorization", "Bearer " + TestNodes.ADMIN_TOKEN)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"readingId\":\"s" + i + "\",\"value\":1}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(202, r.statusCode(), r::body);
    }
    int readings = 0;
    while (readings < READINGS) {
      if (reader.expectNext(Duration.ofSeconds(10)).event() instanceof ReadingsRecorded) {
        readings++;
      }
    }
    assertInstanceOf(BufferOverflowException.class, slow.expectError());
    reader.cancel();
  }
}
