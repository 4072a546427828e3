package org.sensorcluster.loadgen;

import java.util.Arrays;

/**
 * The jar's entry point: {@code java -jar load-generator.jar load ...} runs the open-loop HTTP load
 * generator ({@link LoadGenerator}), {@code probe ...} the PostgreSQL ceiling probe ({@link
 * CeilingProbe}), {@code streams ...} many Server-Sent Event clients ({@link StreamClients}),
 * {@code report FILE} the table of a {@code bench/run.sh} run ({@link BenchReport}). For the
 * probe's earlier command line, arguments starting with {@code --url jdbc:} without a sub-command
 * still go to the probe.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println(
          "usage: java -jar load-generator.jar load|streams|probe|report [options]   (--help after either for its options)");
      System.exit(2);
      return;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "load" -> LoadGenerator.main(rest);
      case "probe" -> CeilingProbe.main(rest);
      case "streams" -> StreamClients.main(rest);
      case "report" -> {
        try {
          BenchReport.main(rest);
        } catch (java.io.IOException e) {
          System.err.println("report failed: " + e);
          System.exit(1);
        }
      }
      default -> {
        if (args[0].startsWith("--") && String.join(" ", args).contains("jdbc:")) {
          CeilingProbe.main(args);
        } else {
          System.err.println(
              "unknown sub-command " + args[0] + "; use load, streams, probe or report");
          System.exit(2);
        }
      }
    }
  }
}
