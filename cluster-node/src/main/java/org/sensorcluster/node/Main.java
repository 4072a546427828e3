package org.sensorcluster.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.sensorcluster.projections.ReadModels;

/**
 * {@code java -jar sensor-node.jar [run]}: starts a node with application.conf and the environment
 * overrides; prints where it listens; runs until SIGTERM (coordinated shutdown). {@code java -jar
 * sensor-node.jar rebuild <read-model>}: see {@link RebuildCommand}. {@code java -jar
 * sensor-node.jar token create|list|revoke ...}: see {@link TokenCommand}. {@code java -jar
 * sensor-node.jar read-models}: prints the read models' names, one a line (bench tools).
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // With fewer than 3 cores the JDK's common pool has parallelism 1 and CompletableFuture's
    // default
    // async executor then starts a new thread per task: a library doing so on the ingest path costs
    // a
    // thread start per reading batch. Give the common pool real threads unless the operator chose.
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
      System.setProperty(
          "java.util.concurrent.ForkJoinPool.common.parallelism",
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
    String logFormat = System.getenv().getOrDefault("SENSORS_LOG_FORMAT", "text");
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      // logback would otherwise attach no appender at all and the node would log nothing
      System.err.println("SENSORS_LOG_FORMAT must be text or json, got '" + logFormat + "'");
      System.exit(2);
      return;
    }
    String command = args.length == 0 ? "run" : args[0];
    if (command.equals("rebuild")) {
      System.exit(RebuildCommand.main(args, System.out, System.err));
      return;
    }
    if (command.equals("token")) {
      System.exit(TokenCommand.main(args, System.out, System.err));
      return;
    }
    if (command.equals("read-models")) {
      ReadModels.ALL.names().forEach(System.out::println);
      return;
    }
    if (!command.equals("run")) {
      System.err.println(
          "usage: java -jar sensor-node.jar [run]\n"
              + "       java -jar sensor-node.jar rebuild <read-model> [--url http://host:8080] [--token T] [--no-wait]\n"
              + "       java -jar sensor-node.jar token create|list|revoke ...\n"
              + "       java -jar sensor-node.jar read-models");
      System.exit(2);
    }
    // A node process exits when coordinated shutdown has run (SIGTERM, or downed by the split-brain
    // resolver).
    Config config =
        StorageConfig.load(ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = on"));
    long started = System.nanoTime();
    SensorNode node;
    try {
      node = SensorNode.start(config);
    } catch (RuntimeException e) {
      System.err.println("sensor node failed to start: " + SensorNode.rootMessage(e));
      System.exit(1);
      return;
    }
    Config c = node.system().settings().config();
    String banner =
        String.format(
            "sensor node ready in %d ms%n  http:       http://%s:%d/api/v1%n  management: http://%s:%d/ready%n"
                + "  cluster:    pekko://%s@%s:%d%n  storage:    %s",
            (System.nanoTime() - started) / 1_000_000,
            c.getString("sensors.http.host"),
            node.httpPort(),
            c.getString("pekko.management.http.hostname"),
            c.getInt("pekko.management.http.port"),
            SensorNode.SYSTEM_NAME,
            c.getString("pekko.remote.artery.canonical.hostname"),
            c.getInt("pekko.remote.artery.canonical.port"),
            node.storage().describe());
    if (logFormat.equals("json")) {
      org.slf4j.LoggerFactory.getLogger(Main.class)
          .info(banner.replaceAll("\\s*\\R\\s*", "; ").replaceAll(" {2,}", " "));
    } else {
      System.out.println(banner);
      System.out.flush();
    }
  }
}
