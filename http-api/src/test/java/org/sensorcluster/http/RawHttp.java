package org.sensorcluster.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client over a socket, for requests that {@link java.net.http.HttpClient} refuses
 * to send: any bytes in the request target, any Content-Type. One connection per request ({@code
 * Connection: close}); the answer is read to the end of the stream.
 */
final class RawHttp {

  private RawHttp() {}

  /** An answer: status, headers (names in lower case), body as UTF-8. */
  record Answer(int status, Map<String, String> headers, String body) {
    String mediaType() {
      String ct = headers.getOrDefault("content-type", "");
      int semi = ct.indexOf(';');
      return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
      return status + " " + headers.getOrDefault("content-type", "") + " " + Shrinks.escape(body);
    }
  }

  /**
   * Sends {@code method target} with {@code contentType} (none when null) and {@code body} to
   * {@code server}.
   */
  static Answer send(URI server, String method, byte[] target, String contentType, byte[] body)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 2_000);
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      head.writeBytes((method + " ").getBytes(StandardCharsets.US_ASCII));
      head.writeBytes(target);
      StringBuilder h =
          new StringBuilder(" HTTP/1.1\r\nHost: ")
              .append(server.getHost())
              .append(':')
              .append(server.getPort())
              .append("\r\nConnection: close\r\n");
      if (contentType != null) {
        h.append("Content-Type: ").append(contentType).append("\r\n");
      }
      h.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      head.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
      head.writeBytes(body);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(
            head.toByteArray()); // in one write: no Nagle/delayed-ACK pause between head and body
        out.flush();
      } catch (IOException e) {
        // the server may answer and close before it read everything (a target too long, a body too
        // large)
        socket.shutdownOutput();
      }
      return parse(socket.getInputStream().readAllBytes(), method.equals("HEAD"));
    }
  }

  private static Answer parse(byte[] raw, boolean head) throws IOException {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || end < 0) {
      throw new IOException(
          "not an HTTP answer: " + Shrinks.escape(text.substring(0, Math.min(200, text.length()))));
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    byte[] body = head ? new byte[0] : java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = unchunk(body);
    }
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] unchunk(byte[] chunked) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = new java.io.ByteArrayInputStream(chunked);
    while (true) {
      StringBuilder size = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("cut chunked body");
        }
        size.append((char) c);
      }
      int n = Integer.parseInt(size.toString().trim().split(";")[0], 16);
      if (n == 0) {
        return out.toByteArray();
      }
      out.writeBytes(in.readNBytes(n));
      in.readNBytes(2);
    }
  }
}
