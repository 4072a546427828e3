package org.sensorcluster.node.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny TCP forwarder on 127.0.0.1 (ephemeral port) to a fixed target, to simulate a database
 * outage: {@link #cut()} closes every forwarded connection and from then on accepts new connections
 * only to close them at once (the client sees "connection closed" immediately, as when a database
 * host restarts); {@link #freeze()} instead makes every current connection silently swallow bytes
 * in both directions without closing anything, on either side (as a network partition does: neither
 * end learns of it), while new connections are closed at once; {@link #restore()} forwards new
 * connections again (frozen ones stay dead). Threads are daemon platform threads.
 */
final class TcpProxy implements AutoCloseable {

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private volatile boolean forwarding = true;
  private volatile boolean closed;
  private final AtomicInteger generation = new AtomicInteger();
  private volatile int frozenUpTo = -1;

  TcpProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    daemon(this::acceptLoop, "tcp-proxy-accept-" + port()).start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Connections accepted and forwarded so far. */
  int forwardedConnections() {
    return accepted.get();
  }

  /** Connections accepted and closed at once because the proxy was cut. */
  int refusedConnections() {
    return refused.get();
  }

  /**
   * Closes all current connections; new ones are closed right after accept until {@link
   * #restore()}.
   */
  void cut() {
    forwarding = false;
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  /**
   * Current connections go silent (bytes dropped, nothing closed); new ones are closed until {@link
   * #restore()}.
   */
  void freeze() {
    forwarding = false;
    frozenUpTo = generation.get();
  }

  /** Forwards new connections again. */
  void restore() {
    forwarding = true;
  }

  @Override
  public void close() {
    closed = true;
    forwarding = false;
    closeQuietly(server);
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      if (!forwarding) {
        refused.incrementAndGet();
        closeQuietly(client);
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      open.add(client);
      open.add(upstream);
      // cut() may have run between the check above and registering the sockets.
      if (!forwarding) {
        refused.incrementAndGet();
        closeBoth(client, upstream);
        continue;
      }
      accepted.incrementAndGet();
      int gen = generation.incrementAndGet();
      daemon(() -> pump(client, upstream, gen), "tcp-proxy-up-" + client.getPort()).start();
      daemon(() -> pump(upstream, client, gen), "tcp-proxy-down-" + client.getPort()).start();
    }
  }

  private void pump(Socket from, Socket to, int gen) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (gen <= frozenUpTo) {
          continue; // frozen: swallow
        }
        out.write(buf, 0, n);
        out.flush();
      }
      if (gen <= frozenUpTo) {
        // The frozen side gave up and closed; the other side must not learn of it (a partition).
        open.remove(from);
        closeQuietly(from);
        return;
      }
    } catch (SocketException e) {
      // closed by cut(), close() or the other side
    } catch (IOException e) {
      // same
    } finally {
      closeBoth(from, to);
    }
  }

  private void closeBoth(Socket a, Socket b) {
    open.remove(a);
    open.remove(b);
    closeQuietly(a);
    closeQuietly(b);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // nothing to do
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
