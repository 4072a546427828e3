package org.sensorcluster.loadgen;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 keep-alive client over one blocking {@link Socket}, used by one thread.
 *
 * <p>Why not {@code java.net.http.HttpClient}: the generator shares two cores with the node and
 * PostgreSQL, so every client CPU cycle is taken from the system under test. A blocking socket per
 * connection thread costs one write and a few reads per request and no other thread; the JDK client
 * adds a selector thread, per-request futures and executor hand-offs, and its own connection pool
 * decides how many connections exist, which would blur "C connections". The price is that this
 * client only speaks what the node speaks: HTTP/1.1, Content-Length or chunked replies, no TLS.
 */
final class HttpConnection implements Closeable {

  /** A reply: status code and body bytes. */
  record Reply(int status, byte[] body) {}

  private final String host;
  private final int port;
  private final int timeoutMillis;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final StringBuilder line = new StringBuilder(128);

  HttpConnection(String host, int port, Duration timeout) {
    this.host = host;
    this.port = port;
    this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }

  /**
   * The request head for a POST with a body of {@code contentLength} bytes, with {@code
   * Authorization: Bearer <token>} when {@code token} is not null.
   */
  static byte[] postHead(
      String host, int port, String path, String contentType, int contentLength, String token) {
    return ("POST "
            + path
            + " HTTP/1.1\r\n"
            + "Host: "
            + host
            + ":"
            + port
            + "\r\n"
            + ApiToken.headerLine(token)
            + "Content-Type: "
            + contentType
            + "\r\n"
            + "Content-Length: "
            + contentLength
            + "\r\n"
            + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Sends one request and reads its reply. Connects first when needed; after an exception the
   * connection is closed, and the next call opens a new one.
   */
  Reply exchange(byte[] head, byte[] body) throws IOException {
    try {
      if (socket == null) connect();
      out.write(head);
      out.write(body);
      out.flush();
      return readReply();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(timeoutMillis);
    s.connect(new InetSocketAddress(host, port), timeoutMillis);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    // Head and body go out in two write calls; with TCP_NODELAY and a 64 KiB buffer that is at
    // most a couple of segments, and the body is never copied into another array.
    out = new java.io.BufferedOutputStream(s.getOutputStream(), 64 * 1024);
  }

  private Reply readReply() throws IOException {
    String status = readLine();
    // "HTTP/1.1 202 Accepted"
    if (!status.startsWith("HTTP/1.") || status.length() < 12)
      throw new IOException("bad status line: " + status);
    int code = Integer.parseInt(status.substring(9, 12));
    long contentLength = -1;
    boolean chunked = false;
    boolean close = status.startsWith("HTTP/1.0");
    while (true) {
      String h = readLine();
      if (h.isEmpty()) break;
      int colon = h.indexOf(':');
      if (colon <= 0) continue;
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> contentLength = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    byte[] body;
    if (chunked) {
      body = readChunked();
    } else if (contentLength >= 0) {
      body = readExactly((int) contentLength);
    } else {
      body = in.readAllBytes(); // no length: the body ends with the connection
      close = true;
    }
    if (close) close();
    return new Reply(code, body);
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine();
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // trailers, ignored
        }
        return buf.toByteArray();
      }
      buf.write(readExactly(size));
      readLine(); // CRLF after the chunk
    }
  }

  private byte[] readExactly(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n)
      throw new EOFException("connection closed after " + b.length + " of " + n + " body bytes");
    return b;
  }

  private String readLine() throws IOException {
    line.setLength(0);
    while (true) {
      int c = in.read();
      if (c < 0) throw new EOFException("connection closed by server");
      if (c == '\n') break;
      if (c != '\r') line.append((char) c);
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
    socket = null;
    in = null;
    out = null;
  }
}
