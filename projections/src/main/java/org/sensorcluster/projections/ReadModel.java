package org.sensorcluster.projections;

import java.util.List;

/**
 * The read models projected from the journal. Each owns tables named {@code <table>_g<N>} for its
 * generation N (docs/adr/0009-read-model-generations.md) and one projection per tag and generation.
 */
public enum ReadModel {
  SENSOR_LATEST("sensor_latest", List.of("sensor_latest", "sensor_labels")),
  READINGS("readings", List.of("readings")),
  ROLLUPS("rollups", List.of("rollup_1m", "rollup_1h", "fleet_rollup_1m")),
  ALERTS("alerts", List.of("alerts"));

  private final String modelName;
  private final List<String> baseTables;

  ReadModel(String modelName, List<String> baseTables) {
    this.modelName = modelName;
    this.baseTables = baseTables;
  }

  /** The name in the API, in metrics and in {@code read_model_generations}. */
  public String modelName() {
    return modelName;
  }

  /** Names of this model's tables in generation {@code gen}. */
  public List<String> tables(int gen) {
    return baseTables.stream().map(t -> table(t, gen)).toList();
  }

  /** The projection id name of generation {@code gen}; the projection key is the tag. */
  public String projectionName(int gen) {
    return modelName + "-g" + gen;
  }

  public static String table(String base, int gen) {
    if (gen < 1) {
      throw new IllegalArgumentException("generation must be >= 1: " + gen);
    }
    return base + "_g" + gen;
  }

  /** The model called {@code name}, or null. */
  public static ReadModel named(String name) {
    for (ReadModel m : values()) {
      if (m.modelName.equals(name)) {
        return m;
      }
    }
    return null;
  }
}
