package org.sensorcluster.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sensorcluster.projections.alerts.AlertsModel;

/**
 * The registry's persisted names: model names (API, metrics labels, {@code
 * read_model_generations}), projection ids and table names must never change, or existing databases
 * and dashboards break.
 */
class ReadModelsTest {

  @Test
  void persistedNamesAreThoseExistingDatabasesHold() {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    ReadModels.ALL.forEach(m -> tables.put(m.modelName(), m.tables(3)));
    assertEquals(
        Map.of(
            "sensor_latest", List.of("sensor_latest_g3", "sensor_labels_g3"),
            "readings", List.of("readings_g3"),
            "rollups", List.of("rollup_1m_g3", "rollup_1h_g3", "fleet_rollup_1m_g3"),
            "alerts", List.of("alerts_g3")),
        tables);
    assertEquals(List.of("sensor_latest", "readings", "rollups", "alerts"), ReadModels.ALL.names());
    assertEquals("rollups-g2", ReadModels.ALL.named("rollups").projectionName(2));
    assertSame(AlertsModel.INSTANCE, ReadModels.ALL.named("alerts"));
    assertNull(ReadModels.ALL.named("nope"));
    assertEquals("sensor_latest", ReadModels.ALL.sensorIndex().modelName());
  }

  @Test
  void everyModelCreatesExactlyItsOwnTablesInBothDialects() {
    for (ReadModel m : ReadModels.ALL) {
      for (Dialect d : Dialect.values()) {
        List<String> created =
            m.createStatements(7, d).stream()
                .filter(s -> s.startsWith("CREATE TABLE"))
                .map(s -> s.split(" ")[5])
                .toList();
        assertEquals(m.tables(7), created, m.modelName() + " " + d);
      }
    }
  }

  @Test
  void twoModelsCannotShareAName() {
    assertThrows(IllegalArgumentException.class, () -> ReadModels.ALL.with(AlertsModel.INSTANCE));
  }
}
