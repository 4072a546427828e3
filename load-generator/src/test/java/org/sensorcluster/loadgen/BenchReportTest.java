package org.sensorcluster.loadgen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The table and the verdicts bench/run.sh prints, from JSON lines of the shape the tools write. */
class BenchReportTest {

  private static String load(
      String label, double acked, double p99, String statuses, long non202, long unsent) {
    return "{\"type\":\"load\",\"label\":\""
        + label
        + "\",\"mode\":\"array\",\"sensors\":10000,"
        + "\"readings_per_request\":500,\"connections\":32,\"offered_readings_per_s\":20000.0,\"duration_s\":60.0,"
        + "\"acked_readings_per_s\":"
        + acked
        + ",\"unsent\":"
        + unsent
        + ",\"non_202\":"
        + non202
        + ","
        + "\"ack_latency_ms\":{\"p50\":10.0,\"p99\":"
        + p99
        + ",\"p99_9\":80.0,\"max\":90.0},"
        + "\"status_counts\":"
        + statuses
        + ",\"errors\":{\"timeouts\":0,\"io\":0,\"bad_replies\":0}}";
  }

  @Test
  void oneRowPerShapeWithRatioLagHeapAndTheTargetVerdicts() throws Exception {
    String out =
        BenchReport.render(
            List.of(
                "{\"type\":\"ceiling\",\"events_per_s\":40000}",
                load("batch", 20000.0, 45.0, "{\"202\":2400}", 0, 0),
                "{\"type\":\"after\",\"label\":\"batch\",\"lag_events_at_end\":1500,\"catch_up_s\":1.4,"
                    + "\"catch_up_limit_s\":60,\"heap_peak_mb\":700,\"old_peak_mb\":300}",
                load("single", 9000.0, 30.0, "{\"202\":540000}", 0, 0),
                "{\"type\":\"after\",\"label\":\"single\",\"lag_events_at_end\":10,\"catch_up_s\":null,"
                    + "\"catch_up_limit_s\":60,\"heap_peak_mb\":500,\"old_peak_mb\":200}",
                load("half-max", 3000.0, 60.0, "{\"202\":360,\"503\":2}", 2, 0)));
    System.out.println(out);

    assertTrue(out.contains("ceiling (PostgreSQL, journal-shaped rows): 40000 events/s"), out);
    assertTrue(
        out.contains(
            "| batch (array, 10000 sensors, 500 readings/request, 32 conns, 60 s) | 20,000 | **20,000** | 0.50 |"),
        out);
    assertTrue(out.contains("1,500 events → 1.4 s | 700 / 300 MB |"), out);
    assertTrue(out.contains("10 events → not within 60 s"), out);
    assertTrue(out.contains("202: 360, 503: 2"), out);
    assertTrue(
        out.contains("1. batch >= 50% of ceiling") && out.contains("caught up after 1.4 s -> MET"),
        out);
    assertTrue(
        out.contains("2. single POSTs >= 10,000 acknowledged readings/s: 9000 -> MISSED"), out);
    assertTrue(out.contains("p99 60.0 ms -> MISSED"), out);
  }
}
