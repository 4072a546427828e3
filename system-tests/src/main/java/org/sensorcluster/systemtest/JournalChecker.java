package org.sensorcluster.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a scenario's database against what the load driver was told:
 *
 * <ul>
 *   <li>journal: every acknowledged (sensor, readingId) in {@code event_journal} exactly once; no
 *       reading id twice in one sensor's journal at all (acknowledged or not); each sensor's
 *       sequence numbers exactly 1..n (no gaps; the primary key rules out two events with one
 *       number, so a second writer shows as a gap, a repeated reading or a key violation in a node
 *       log);
 *   <li>read models, in the active generation of each (table {@code read_model_generations}): every
 *       acknowledged reading is a row of {@code readings_g<N>}; each sensor has exactly as many
 *       {@code readings_g<N>} rows as journal readings; {@code sensor_latest_g<N>.reading_count}
 *       equals the journal's count. The projections are waited for (bounded) before these are
 *       judged.
 * </ul>
 *
 * Event payloads are JSON (see cluster-node's JournalContents): {@code
 * {"readings":[{"readingId":..}..]..}}.
 */
final class JournalChecker {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Report(
      long acknowledged,
      long lost,
      long duplicated,
      long sequenceGaps,
      long journalReadings,
      long sensors,
      long readModelMissing,
      long readModelCountMismatches,
      boolean readModelsCaughtUp,
      Duration readModelWait,
      List<String> examples) {}

  /** Per sensor: reading ids in journal order, and the sequence numbers seen. */
  private record Journal(Map<String, List<String>> readingIds, long gaps, List<String> examples) {
    long readings() {
      return readingIds.values().stream().mapToLong(List::size).sum();
    }
  }

  static Report check(Connection c, AckLog acks, Duration readModelTimeout) throws Exception {
    Journal journal = readJournal(c);
    List<String> examples = new ArrayList<>(journal.examples());
    Map<String, Set<String>> acked = acks.snapshot();
    long lost = 0;
    long duplicated = 0;
    for (Map.Entry<String, List<String>> e : journal.readingIds().entrySet()) {
      Map<String, Integer> counts = new HashMap<>();
      for (String id : e.getValue()) {
        counts.merge(id, 1, Integer::sum);
      }
      for (Map.Entry<String, Integer> k : counts.entrySet()) {
        if (k.getValue() > 1) {
          duplicated += k.getValue() - 1;
          example(
              examples,
              "duplicate in journal: " + e.getKey() + "/" + k.getKey() + " x" + k.getValue());
        }
      }
    }
    long acknowledged = 0;
    for (Map.Entry<String, Set<String>> e : acked.entrySet()) {
      Set<String> inJournal =
          new HashSet<>(journal.readingIds().getOrDefault(e.getKey(), List.of()));
      for (String id : e.getValue()) {
        acknowledged++;
        if (!inJournal.contains(id)) {
          lost++;
          example(examples, "lost (acknowledged, not in journal): " + e.getKey() + "/" + id);
        }
      }
    }

    // read models: wait until the counts agree with the journal, or the time is up
    long t0 = System.nanoTime();
    long deadline = t0 + readModelTimeout.toNanos();
    ReadModelState rm;
    while (true) {
      rm = readModels(c, journal);
      if (rm.countMismatches == 0 || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(1000);
    }
    Duration waited = Duration.ofNanos(System.nanoTime() - t0);
    long missing = 0;
    for (Map.Entry<String, Set<String>> e : acked.entrySet()) {
      Set<String> rows = rm.readingRows.getOrDefault(e.getKey(), Set.of());
      for (String id : e.getValue()) {
        if (!rows.contains(id)) {
          missing++;
          example(
              examples,
              "acknowledged reading not in " + rm.readingsTable + ": " + e.getKey() + "/" + id);
        }
      }
    }
    examples.addAll(rm.examples.subList(0, Math.min(5, rm.examples.size())));
    return new Report(
        acknowledged,
        lost,
        duplicated,
        journal.gaps(),
        journal.readings(),
        journal.readingIds().size(),
        missing,
        rm.countMismatches,
        rm.countMismatches == 0,
        waited,
        examples);
  }

  private static Journal readJournal(Connection c) throws Exception {
    Map<String, List<String>> ids = new TreeMap<>();
    Map<String, Long> lastSeq = new HashMap<>();
    List<String> examples = new ArrayList<>();
    long gaps = 0;
    try (Statement st = c.createStatement()) {
      st.setFetchSize(5000);
      c.setAutoCommit(false);
      try (ResultSet rs =
          st.executeQuery(
              "SELECT persistence_id, sequence_number, deleted, event_payload"
                  + " FROM event_journal ORDER BY persistence_id, sequence_number")) {
        while (rs.next()) {
          String pid = rs.getString(1);
          long seq = rs.getLong(2);
          String sensor = pid.startsWith("Sensor|") ? pid.substring("Sensor|".length()) : pid;
          long expected = lastSeq.getOrDefault(sensor, 0L) + 1;
          if (seq != expected) {
            gaps++;
            example(examples, "sequence of " + pid + ": expected " + expected + ", found " + seq);
          }
          lastSeq.put(sensor, seq);
          if (rs.getBoolean(3)) {
            example(examples, "deleted event " + pid + " #" + seq);
          }
          JsonNode event = JSON.readTree(new String(rs.getBytes(4), StandardCharsets.UTF_8));
          List<String> list = ids.computeIfAbsent(sensor, k -> new ArrayList<>());
          for (JsonNode reading : event.path("readings")) {
            list.add(reading.path("readingId").asText());
          }
        }
      } finally {
        c.commit();
        c.setAutoCommit(true);
      }
    }
    return new Journal(ids, gaps, examples);
  }

  private static final class ReadModelState {
    String readingsTable = "readings_g?";
    final Map<String, Set<String>> readingRows = new HashMap<>();
    long countMismatches;
    final List<String> examples = new ArrayList<>();
  }

  private static ReadModelState readModels(Connection c, Journal journal) throws SQLException {
    ReadModelState s = new ReadModelState();
    Integer readingsGen = activeGeneration(c, "readings");
    Integer latestGen = activeGeneration(c, "sensor_latest");
    if (readingsGen == null || latestGen == null) {
      s.countMismatches = journal.readingIds().size();
      s.examples.add("read_model_generations has no active generation for readings/sensor_latest");
      return s;
    }
    s.readingsTable = "readings_g" + readingsGen;
    Map<String, Long> rowCounts = new HashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sensor_id, reading_id FROM " + s.readingsTable)) {
      while (rs.next()) {
        s.readingRows.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
        rowCounts.merge(rs.getString(1), 1L, Long::sum);
      }
    }
    Map<String, Long> latestCounts = new HashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT sensor_id, reading_count FROM sensor_latest_g" + latestGen)) {
      while (rs.next()) {
        latestCounts.put(rs.getString(1), rs.getLong(2));
      }
    }
    for (Map.Entry<String, List<String>> e : journal.readingIds().entrySet()) {
      long n = e.getValue().size();
      long rows = rowCounts.getOrDefault(e.getKey(), 0L);
      long latest = latestCounts.getOrDefault(e.getKey(), 0L);
      if (rows != n || latest != n) {
        s.countMismatches++;
        if (s.examples.size() < 5) {
          s.examples.add(
              "sensor "
                  + e.getKey()
                  + ": journal "
                  + n
                  + " readings, "
                  + s.readingsTable
                  + " "
                  + rows
                  + " rows, sensor_latest_g"
                  + latestGen
                  + ".reading_count "
                  + latest);
        }
      }
    }
    return s;
  }

  private static Integer activeGeneration(Connection c, String model) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT active_gen FROM read_model_generations WHERE model = ?")) {
      ps.setString(1, model);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : null;
      }
    }
  }

  private static void example(List<String> examples, String s) {
    if (examples.size() < 10) {
      examples.add(s);
    }
  }
}
