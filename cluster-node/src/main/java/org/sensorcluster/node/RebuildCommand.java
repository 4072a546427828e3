package org.sensorcluster.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.sensorcluster.projections.ReadModels;

/**
 * {@code java -jar sensor-node.jar rebuild <read-model> [--url http://host:8080] [--token T]
 * [--no-wait]}: asks a running node to rebuild a read model from the journal (the cluster does the
 * work, so a rebuild survives this command being stopped), then prints progress once a second until
 * the new tables are swapped in. The node's URL defaults to {@code SENSORS_URL} or
 * http://127.0.0.1:8080, the (admin) token to {@code SENSORS_TOKEN}.
 */
final class RebuildCommand {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String token;
  private final PrintStream out;

  RebuildCommand(URI base, String token, PrintStream out) {
    this.base = base;
    this.token = token;
    this.out = out;
  }

  static int main(String[] args, PrintStream out, PrintStream err) {
    String name = null;
    String url = System.getenv().getOrDefault("SENSORS_URL", "http://127.0.0.1:8080");
    String token = System.getenv("SENSORS_TOKEN");
    boolean wait = true;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--token" -> {
          if (i + 1 >= args.length) {
            err.println("--token needs a value");
            return 2;
          }
          token = args[++i];
        }
        case "--url" -> {
          if (i + 1 >= args.length) {
            err.println("--url needs a value");
            return 2;
          }
          url = args[++i];
        }
        case "--no-wait" -> wait = false;
        default -> {
          if (name != null || args[i].startsWith("--")) {
            err.println(
                "usage: java -jar sensor-node.jar rebuild <read-model> [--url http://host:8080] [--token T] [--no-wait]");
            return 2;
          }
          name = args[i];
        }
      }
    }
    if (name == null) {
      err.println(
          "usage: java -jar sensor-node.jar rebuild <read-model> [--url http://host:8080] [--token T] [--no-wait]"
              + "\n  read models: "
              + String.join(", ", ReadModels.ALL.names()));
      return 2;
    }
    try {
      return new RebuildCommand(URI.create(url.endsWith("/") ? url : url + "/"), token, out)
          .run(name, wait, err);
    } catch (IOException e) {
      err.println("cannot reach the node at " + url + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  int run(String name, boolean wait, PrintStream err) throws IOException, InterruptedException {
    HttpResponse<String> started =
        client.send(
            request("api/v1/admin/projections/" + name + "/rebuild")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (started.statusCode() != 202) {
      err.println(
          "rebuild of "
              + name
              + " refused ("
              + started.statusCode()
              + "): "
              + detail(started.body()));
      return 1;
    }
    int generation = MAPPER.readTree(started.body()).path("generation").asInt();
    out.printf("rebuilding %s into generation %d%n", name, generation);
    if (!wait) {
      return 0;
    }
    long t0 = System.nanoTime();
    while (true) {
      Thread.sleep(1000);
      JsonNode list = fetchStatus();
      long behind = 0;
      long tagsDone = 0;
      long tags = 0;
      double rate = 0;
      boolean building = false;
      boolean live = false;
      for (JsonNode p : list) {
        if (!p.path("name").asText().equals(name) || p.path("generation").asInt() != generation) {
          continue;
        }
        if (p.path("state").asText().equals("rebuilding")) {
          building = true;
          behind += p.path("lagEvents").asLong();
          rate += p.path("eventsPerSecond").asDouble();
          tags++;
          if (p.path("lagEvents").asLong() == 0) {
            tagsDone++;
          }
        } else {
          live = true;
        }
      }
      long secs = (System.nanoTime() - t0) / 1_000_000_000L;
      if (live && !building) {
        out.printf("%s generation %d is live after %d s%n", name, generation, secs);
        return 0;
      }
      // lagEvents is counted up to 10,000 per tag: a figure at the cap means "at least"
      out.printf(
          "  %4d s  %d/%d tags caught up, %,d+ events behind the journal, %,.0f events/s%n",
          secs, tagsDone, tags, behind, rate);
    }
  }

  private JsonNode fetchStatus() throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            request("api/v1/admin/projections").timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("status " + r.statusCode() + ": " + detail(r.body()));
    }
    return MAPPER.readTree(r.body()).path("projections");
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
    if (token != null && !token.isBlank()) {
      b.header("Authorization", "Bearer " + token.strip());
    }
    return b;
  }

  private static String detail(String body) {
    try {
      JsonNode n = MAPPER.readTree(body);
      return n.path("detail").asText(body);
    } catch (IOException e) {
      return body;
    }
  }
}
