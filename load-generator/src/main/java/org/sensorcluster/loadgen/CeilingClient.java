package org.sensorcluster.loadgen;

import static org.sensorcluster.loadgen.ProbeEvents.EVENT_SER_ID;
import static org.sensorcluster.loadgen.ProbeEvents.MANIFEST;
import static org.sensorcluster.loadgen.ProbeEvents.payload;
import static org.sensorcluster.loadgen.ProbeEvents.persistenceId;
import static org.sensorcluster.loadgen.ProbeEvents.tagForPersistenceId;
import static org.sensorcluster.loadgen.ProbeTables.JOURNAL;
import static org.sensorcluster.loadgen.ProbeTables.TAG;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One writer of the ceiling probe: its connection, its sensors, its counters. Used by one thread
 * only.
 */
final class CeilingClient {
  final int index;
  final CeilingSettings settings;
  final Connection connection;
  final int[] sensors;
  final long[] sequence;
  final String writer = UUID.randomUUID().toString();
  int nextSensor;
  long measureFrom;
  long measureTo;

  long measuredEvents;
  long measuredTx;
  long totalEvents;
  long totalTx;
  long[] latencies = new long[1024];
  int latencyCount;

  CeilingClient(int index, CeilingSettings settings, Connection connection) {
    this.index = index;
    this.settings = settings;
    this.connection = connection;
    int clients = settings.clients();
    int owned = settings.sensors() / clients + (index < settings.sensors() % clients ? 1 : 0);
    this.sensors = new int[owned];
    for (int k = 0; k < owned; k++) sensors[k] = index + k * clients;
    this.sequence = new long[owned];
    this.nextSensor = (int) ((long) index * 7919 % owned);
  }

  void window(long from, long to) {
    this.measureFrom = from;
    this.measureTo = to;
  }

  void loop(AtomicReference<Throwable> failure) throws SQLException {
    int e = settings.eventsPerTransaction();
    StringBuilder sql =
        new StringBuilder("INSERT INTO ")
            .append(JOURNAL)
            .append(
                " (persistence_id, sequence_number, deleted, writer, write_timestamp, adapter_manifest,")
            .append(
                " event_ser_id, event_ser_manifest, event_payload, meta_ser_id, meta_ser_manifest, meta_payload)")
            .append(" VALUES ");
    for (int i = 0; i < e; i++) {
      sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?)");
    }
    sql.append(" RETURNING ordering, persistence_id");
    try (PreparedStatement journal = connection.prepareStatement(sql.toString());
        PreparedStatement tags =
            connection.prepareStatement("INSERT INTO " + TAG + " (event_id, tag) VALUES (?, ?)")) {
      while (failure.get() == null) {
        long begin = System.nanoTime();
        if (begin >= measureTo) break;
        long writeTimestamp = System.currentTimeMillis();
        int p = 1;
        for (int i = 0; i < e; i++) {
          int local = nextSensor;
          nextSensor = nextSensor + 1 == sensors.length ? 0 : nextSensor + 1;
          int sensor = sensors[local];
          long seq = ++sequence[local];
          journal.setString(p++, persistenceId(sensor));
          journal.setLong(p++, seq);
          journal.setBoolean(p++, false);
          journal.setString(p++, writer);
          journal.setLong(p++, writeTimestamp);
          journal.setString(p++, "");
          journal.setInt(p++, EVENT_SER_ID);
          journal.setString(p++, MANIFEST);
          journal.setBytes(p++, payload(seq));
          journal.setNull(p++, java.sql.Types.INTEGER);
          journal.setNull(p++, java.sql.Types.VARCHAR);
          journal.setNull(p++, java.sql.Types.BINARY);
        }
        int got = 0;
        try (ResultSet rs = journal.executeQuery()) {
          while (rs.next()) {
            // RETURNING order is not guaranteed by SQL: match rows by persistence id, not
            // position
            got++;
            tags.setLong(1, rs.getLong(1));
            tags.setString(2, tagForPersistenceId(rs.getString(2)));
            tags.addBatch();
          }
        }
        if (got != e) throw new SQLException("expected " + e + " orderings back, got " + got);
        tags.executeBatch();
        connection.commit();
        long end = System.nanoTime();
        totalTx++;
        totalEvents += e;
        if (end >= measureFrom && end <= measureTo) {
          measuredTx++;
          measuredEvents += e;
          if (latencyCount == latencies.length)
            latencies = Arrays.copyOf(latencies, latencyCount * 2);
          latencies[latencyCount++] = end - begin;
        }
      }
    } catch (SQLException ex) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the original error is reported
      }
      throw ex;
    }
  }
}
