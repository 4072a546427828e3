package org.sensorcluster.projections;

import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.sensorcluster.domain.event.SensorEvent;

/**
 * One read model projected from the journal: everything the read side needs to know about it. Each
 * owns tables named {@code <table>_g<N>} for its generation N
 * (docs/adr/0009-read-model-generations.md) and one projection per tag and generation. A model is
 * one package (see {@link ReadModels#ALL}); the runtime, generations, rebuild, retention, progress
 * and admin iterate the registry.
 */
public interface ReadModel {

  /** The name in the API, in metrics, in projection ids and in {@code read_model_generations}. */
  String modelName();

  /** Names of the model's tables without the generation suffix. */
  List<String> baseTables();

  /** The idempotent CREATE statements of the model's tables in generation {@code gen}. */
  List<String> createStatements(int gen, Dialect dialect);

  /**
   * A handler writing one group of events into generation {@code ctx.generation()} for {@code
   * ctx.tag()}.
   */
  JdbcHandler<List<EventEnvelope<SensorEvent>>, PooledJdbcSession> handler(HandlerContext ctx);

  /** Rows the model drops when they grow old (none unless overridden). */
  /**
   * Whether one event may be applied again after the events that followed it (a dead letter's
   * retry, see {@link DeadLetterRetry}): true for a model whose rows do not depend on the order of
   * events (appended rows, sums). False by default: such a model's dead letters are applied by a
   * rebuild.
   */
  default boolean appliesOutOfOrder() {
    return false;
  }

  default List<RetentionRule> retention() {
    return List.of();
  }

  /**
   * The base table holding one row per known sensor, keyed by {@code sensor_id}, if the model keeps
   * one (retention walks the sensors through it); null otherwise.
   */
  default String sensorIndex() {
    return null;
  }

  /** Names of this model's tables in generation {@code gen}. */
  default List<String> tables(int gen) {
    return baseTables().stream().map(t -> table(t, gen)).toList();
  }

  /** The projection id name of generation {@code gen}; the projection key is the tag. */
  default String projectionName(int gen) {
    return modelName() + "-g" + gen;
  }

  static String table(String base, int gen) {
    if (gen < 1) {
      throw new IllegalArgumentException("generation must be >= 1: " + gen);
    }
    return base + "_g" + gen;
  }
}
