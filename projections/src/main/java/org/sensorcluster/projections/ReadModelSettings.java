package org.sensorcluster.projections;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Tunables of the read side, from {@code sensors.projections} and {@code sensors.read-models}.
 *
 * @param tagCount event tags (one projection instance per model, generation and tag)
 * @param groupSize events per read-model transaction
 * @param groupWithin longest wait to fill a group
 * @param generationPoll how often a node re-reads {@code read_model_generations}
 * @param progressInterval how often lag and progress are measured
 * @param retiredGrace how long a swapped-out generation's tables stay before they are dropped
 * @param readingsRetention raw readings older than this are deleted (and not written)
 * @param minuteRollupRetention 1-minute buckets older than this are deleted (1-hour buckets stay)
 * @param retentionInterval how often retention runs
 */
public record ReadModelSettings(
    int tagCount,
    int groupSize,
    Duration groupWithin,
    Duration generationPoll,
    Duration progressInterval,
    Duration retiredGrace,
    Duration readingsRetention,
    Duration minuteRollupRetention,
    Duration retentionInterval) {

  /** From the {@code sensors} block of the node's configuration. */
  public static ReadModelSettings fromConfig(Config sensors) {
    Config p = sensors.getConfig("projections");
    Config r = sensors.getConfig("read-models");
    return new ReadModelSettings(
        sensors.getInt("entity.tag-count"),
        p.getInt("group-size"),
        p.getDuration("group-within"),
        p.getDuration("generation-poll-interval"),
        p.getDuration("progress-interval"),
        p.getDuration("retired-grace"),
        r.getDuration("readings-retention"),
        r.getDuration("rollup-1m-retention"),
        r.getDuration("retention-interval"));
  }
}
