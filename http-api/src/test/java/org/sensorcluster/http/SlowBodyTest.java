package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A body that trickles gets 408 within ~10 s and gives its ingest slot back. */
class SlowBodyTest extends ApiTestBase {

  /**
   * Sends the head of a POST announcing {@code length} bytes, then one a second; returns the status
   * line and when.
   */
  private static CompletableFuture<String[]> trickle(URI server, String path, int length) {
    return CompletableFuture.supplyAsync(
        () -> {
          long t0 = System.nanoTime();
          try (Socket s = new Socket(server.getHost(), server.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(
                ("POST "
                        + path
                        + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer "
                        + InMemoryTokens.ADMIN_TOKEN
                        + "\r\nContent-Length: "
                        + length
                        + "\r\n\r\n[")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            Thread writer =
                new Thread(
                    () -> {
                      try {
                        for (int i = 0; i < 25; i++) {
                          Thread.sleep(1000);
                          out.write(' ');
                          out.flush();
                        }
                      } catch (Exception e) {
                        // the server answered and closed: expected
                      }
                    });
            writer.setDaemon(true);
            writer.start();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
              head.write(b);
            }
            return new String[] {
              head.toString(StandardCharsets.US_ASCII).trim(),
              Long.toString((System.nanoTime() - t0) / 1_000_000)
            };
          } catch (Exception e) {
            return new String[] {
              "no answer: " + e, Long.toString((System.nanoTime() - t0) / 1_000_000)
            };
          }
        });
  }

  @Test
  void a_trickling_batch_is_408_within_seconds_and_frees_its_ingest_slot() throws Exception {
    URI server = startExtraServer(SETTINGS.withMaxInFlightIngest(1));
    CompletableFuture<String[]> slow = trickle(server, "/api/v1/readings", 4096);
    Thread.sleep(1500);
    Resp meanwhile =
        send(postRequest(server, "/api/v1/readings", JSON, "[{\"sensorId\":\"s-1\",\"value\":1}]"));
    assertEquals(
        503, meanwhile.status(), "the trickling request holds the only ingest slot: " + meanwhile);
    String[] answer = slow.get();
    assertTrue(answer[0].startsWith("HTTP/1.1 408"), answer[0]);
    long ms = Long.parseLong(answer[1]);
    assertTrue(ms >= 9_000 && ms < 16_000, "408 after " + ms + " ms");
    assertEquals(
        202,
        send(postRequest(server, "/api/v1/readings", JSON, "[{\"sensorId\":\"s-1\",\"value\":1}]"))
            .status(),
        "the slot is free again");
    assertEquals(1, gateway.totalStored());
  }

  @Test
  void a_single_reading_body_that_stops_is_408() throws Exception {
    String[] answer = trickle(base, "/api/v1/sensors/s-1/readings", 1000).get();
    assertTrue(answer[0].startsWith("HTTP/1.1 408"), answer[0]);
    assertEquals(0, gateway.totalStored());
  }
}
