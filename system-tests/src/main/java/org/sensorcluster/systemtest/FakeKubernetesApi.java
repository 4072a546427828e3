package org.sensorcluster.systemtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An in-process stand-in for the Kubernetes API server, just enough for Pekko's Kubernetes API
 * discovery: {@code GET /api/v1/namespaces/<ns>/pods?labelSelector=...} over HTTPS with a bearer
 * token, answered from the pod list the test sets ({@link #setPods}), in the shape the real API
 * uses (metadata, spec.containers[].ports with the port named {@code management}, status.phase and
 * podIP). Wrong token: 401; other namespace: an empty list; other label selector: an empty list
 * (the real server filters by labels). The certificate is a fresh self-signed one for the listen
 * address (made with the JDK's keytool); {@link #caFile} is what a pod finds in its service-account
 * directory, and so is {@link #tokenFile}.
 */
final class FakeKubernetesApi implements AutoCloseable {

  static final String NAMESPACE = "sensors-test";
  static final String LABEL_SELECTOR = "app=sensors";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String listenIp;
  private final Path dir;
  private final String token = UUID.randomUUID().toString();
  private final Map<String, String> pods = new TreeMap<>(); // pod name -> pod IP
  private final Set<String> callers = ConcurrentHashMap.newKeySet();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private HttpsServer server;

  FakeKubernetesApi(String listenIp, Path dir) {
    this.listenIp = listenIp;
    this.dir = dir;
  }

  void start() throws Exception {
    Files.createDirectories(dir);
    Path keystore = dir.resolve("api-server.p12");
    Files.deleteIfExists(keystore);
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    String pass = "changeit";
    Shell.ok(
        keytool,
        "-genkeypair",
        "-alias",
        "api",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=kubernetes",
        "-ext",
        "SAN=ip:" + listenIp + ",dns:kubernetes.default.svc",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        pass,
        "-keypass",
        pass);
    Files.deleteIfExists(caFile());
    Shell.ok(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "api",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        pass,
        "-file",
        caFile().toString());
    Files.writeString(tokenFile(), token, StandardCharsets.UTF_8);

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, pass.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pass.toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);

    server = HttpsServer.create(new InetSocketAddress(listenIp, 0), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    server.setExecutor(
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "fake-kubernetes-api");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  Path caFile() {
    return dir.resolve("ca.crt");
  }

  Path tokenFile() {
    return dir.resolve("token");
  }

  /** What the API lists from now on: pod name to pod IP (every pod Running, none being deleted). */
  synchronized void setPods(Map<String, String> namesToIps) {
    pods.clear();
    pods.putAll(namesToIps);
  }

  /** Source addresses of the authenticated pod-list requests served so far. */
  Set<String> callers() {
    return Set.copyOf(callers);
  }

  /** Requests refused (bad token, unknown path), for the failure message. */
  List<String> refused() {
    return List.copyOf(refused);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (!("Bearer " + token).equals(auth)) {
        refused.add("401 " + path + " from " + ex.getRemoteAddress());
        send(
            ex,
            401,
            "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Unauthorized\",\"code\":401}");
        return;
      }
      String prefix = "/api/v1/namespaces/";
      if (!ex.getRequestMethod().equals("GET")
          || !path.startsWith(prefix)
          || !path.endsWith("/pods")) {
        refused.add("404 " + ex.getRequestMethod() + " " + path);
        send(
            ex,
            404,
            "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
        return;
      }
      String namespace = path.substring(prefix.length(), path.length() - "/pods".length());
      String selector = query(ex.getRequestURI().getRawQuery()).getOrDefault("labelSelector", "");
      callers.add(ex.getRemoteAddress().getAddress().getHostAddress());
      boolean matches = namespace.equals(NAMESPACE) && selector.equals(LABEL_SELECTOR);
      send(ex, 200, JSON.writeValueAsString(PodListJson.of(matches ? snapshot() : Map.of())));
    }
  }

  private synchronized Map<String, String> snapshot() {
    return new TreeMap<>(pods);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new TreeMap<>();
    if (raw == null) {
      return out;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** Pod names and IPs of hosts {@code 1..n}: sensors-0 .. sensors-(n-1), like a StatefulSet's. */
  static Map<String, String> podsOf(NetworkNamespaces net, int n) {
    Map<String, String> out = new TreeMap<>();
    for (int i = 1; i <= n; i++) {
      out.put("sensors-" + (i - 1), net.ip(i));
    }
    return out;
  }
}
