package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A body over the endpoint's limit and over the server's own {@code parsing.max-content-length}
 * (Pekko's default 8 MiB here) is still read to its end and dropped before the 413 goes out, so a
 * client that writes the whole body before reading gets the answer, not a reset: the node drains it
 * without the server's size limit (bounded by {@link Bodies#DRAIN_CAP} instead). Before, the drain
 * stopped at the server's limit, the node closed the connection on the unread rest, and the
 * client's upload was reset (HostileRequestsTest failed so on a loaded machine).
 */
class OversizedBodyAnswerTest extends ApiTestBase {

  @Test
  void aBodyOverTheServersOwnLimitIsReadToItsEndAndAnswered413() throws Exception {
    int size = 9 << 20;
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /api/v1/readings HTTP/1.1\r\nHost: localhost\r\n"
                  + "Authorization: Bearer "
                  + InMemoryTokens.ADMIN_TOKEN
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + size
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) ' ');
      for (int sent = 0; sent < size; sent += chunk.length) {
        out.write(chunk, 0, Math.min(chunk.length, size - sent));
      }
      out.flush();
      String head = readHead(s.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 413"), head);
    }
  }

  private static String readHead(InputStream in) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && b.size() < 4096) {
      b.write(c);
      if (b.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        break;
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }
}
