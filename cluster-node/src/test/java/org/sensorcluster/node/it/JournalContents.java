package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every reading in {@code event_journal}, read straight from the database (event payloads are
 * JSON), checked on the way: persistence ids are sensors, nothing is deleted, every event holds
 * readings, and each sensor's sequence numbers are exactly 1..n.
 */
final class JournalContents {

  /** Reading ids per sensor, in journal order (a repeat would be a duplicate). */
  final Map<String, List<String>> readingIds = new TreeMap<>();

  /** Highest sequence number per sensor (= number of events, since they are gap-free). */
  final Map<String, Long> lastSeqNr = new TreeMap<>();

  static JournalContents read(Connection c) throws SQLException, IOException {
    JournalContents j = new JournalContents();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT persistence_id, sequence_number, deleted, event_payload"
                    + " FROM event_journal ORDER BY persistence_id, sequence_number")) {
      while (rs.next()) {
        String pid = rs.getString(1);
        long seq = rs.getLong(2);
        assertTrue(pid.startsWith("Sensor|"), pid);
        String sensorId = pid.substring("Sensor|".length());
        assertFalse(rs.getBoolean(3), "no event is deleted: " + pid + " #" + seq);
        assertEquals(
            j.lastSeqNr.getOrDefault(sensorId, 0L) + 1,
            seq,
            "sequence numbers of " + pid + " have a gap");
        j.lastSeqNr.put(sensorId, seq);
        JsonNode event =
            ApiClient.JSON.readTree(new String(rs.getBytes(4), StandardCharsets.UTF_8));
        JsonNode readings = event.get("readings");
        assertTrue(
            readings != null && readings.size() > 0,
            "an event holds at least one reading: " + event);
        List<String> ids = j.readingIds.computeIfAbsent(sensorId, k -> new ArrayList<>());
        for (JsonNode reading : readings) {
          ids.add(reading.get("readingId").asText());
        }
      }
    }
    return j;
  }

  /** How often each reading id of each sensor occurs in the journal. */
  Map<String, Map<String, Integer>> idCounts() {
    Map<String, Map<String, Integer>> counts = new TreeMap<>();
    readingIds.forEach(
        (sensor, ids) ->
            ids.forEach(
                id ->
                    counts
                        .computeIfAbsent(sensor, k -> new HashMap<>())
                        .merge(id, 1, Integer::sum)));
    return counts;
  }

  /** Fails unless every reading id occurs exactly once per sensor. */
  void assertNoDuplicates() {
    idCounts()
        .forEach(
            (sensor, counts) ->
                counts.forEach(
                    (id, n) ->
                        assertEquals(
                            1, n, "reading " + sensor + "/" + id + " is in the journal once")));
  }
}
