package org.sensorcluster.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sensorcluster.domain.Reading;
import org.sensorcluster.domain.SensorSummary;

/** Queries over {@code sensor_latest}; blocking JDBC runs on the database's blocking executor. */
public final class SensorLatestRepository {

  private final ReadModelDatabase db;

  public SensorLatestRepository(ReadModelDatabase db) {
    this.db = db;
  }

  public CompletionStage<Optional<SensorSummary>> find(String sensorId) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return findBlocking(sensorId);
      } catch (SQLException e) {
        throw new ReadModelUnavailableException("read model sensor_latest unavailable: " + e.getMessage(), e);
      }
    }, db.blockingExecutor());
  }

  public Optional<SensorSummary> findBlocking(String sensorId) throws SQLException {
    try (Connection c = db.connection();
         PreparedStatement ps = c.prepareStatement("SELECT reading_count, last_reading_id, last_value, last_ts,"
             + " last_seq_nr, updated_at FROM sensor_latest WHERE sensor_id = ?")) {
      ps.setString(1, sensorId);
      try (ResultSet rs = ps.executeQuery()) {
        Optional<SensorSummary> result = Optional.empty();
        if (rs.next()) {
          Reading last = new Reading(rs.getString(2), rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getDouble(3));
          result = Optional.of(new SensorSummary(sensorId, rs.getLong(1), last,
              rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getLong(5)));
        }
        c.commit();
        return result;
      }
    }
  }
}
