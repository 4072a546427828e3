package org.sensorcluster.node;

import com.typesafe.config.Config;
import java.time.Duration;
import org.sensorcluster.http.HttpSettings;
import org.sensorcluster.http.QuerySettings;
import org.sensorcluster.http.QuotaSettings;
import org.sensorcluster.node.entity.SensorEntitySettings;
import org.sensorcluster.node.handoff.HandOffSettings;
import org.sensorcluster.projections.ReadModelSettings;

/**
 * Everything a node reads from its configuration, read once by {@link SensorNode#start} before
 * anything starts (so a typo or an invalid value fails there): each part's own settings, composed.
 *
 * @param storage the database ({@link StorageConfig})
 * @param db {@code sensors.db}: the node's own pool
 * @param cluster {@code sensors.cluster}: how the node joins
 * @param entity {@code sensors.entity}: the sensor entities
 * @param gateway {@code sensors.entity}: how the HTTP layer asks them
 * @param readModels {@code sensors.projections} and {@code sensors.read-models}
 * @param server {@code sensors.http}: where HTTP is served and how it drains
 * @param http {@code sensors.http}: the API's limits
 * @param query {@code sensors.http}: query settings (the cursor secret as configured)
 * @param queryLimits {@code sensors.http}: the read side's timeout and bulkhead
 * @param handOff {@code sensors.entity.hand-off}
 * @param numberOfShards {@code sensors.entity.number-of-shards}: for a new cluster ({@link
 *     ShardCount})
 * @param quota {@code sensors.quotas}
 * @param auth {@code sensors.auth}
 * @param silence {@code sensors.silence}
 * @param maxBackfill {@code sensors.readings.max-backfill}: how old a new reading may be
 * @param metricsPollInterval {@code sensors.metrics.poll-interval}
 */
record NodeSettings(
    StorageConfig.Storage storage,
    DatabaseSettings db,
    ClusterSettings cluster,
    SensorEntitySettings entity,
    HandOffSettings handOff,
    int numberOfShards,
    GatewaySettings gateway,
    ReadModelSettings readModels,
    ServerSettings server,
    HttpSettings http,
    QuerySettings query,
    QueryLimits queryLimits,
    QuotaSettings quota,
    AuthSettings auth,
    SilenceSettings silence,
    Duration maxBackfill,
    Duration metricsPollInterval) {

  /** From {@code config}, already resolved by {@link StorageConfig}. */
  static NodeSettings fromConfig(Config config) {
    Config sensors = config.getConfig("sensors");
    // the database, then the discovery: checked first, as they always were
    StorageConfig.Storage storage = StorageConfig.storageOf(config);
    ClusterSettings cluster = ClusterSettings.fromConfig(config);
    DatabaseSettings db = DatabaseSettings.fromConfig(sensors);
    return new NodeSettings(
        storage,
        db,
        cluster,
        SensorEntitySettings.fromConfig(sensors),
        HandOffSettings.fromConfig(sensors),
        sensors.getInt("entity.number-of-shards"),
        GatewaySettings.fromConfig(sensors),
        ReadModelSettings.fromConfig(sensors),
        ServerSettings.fromConfig(sensors),
        HttpSettings.fromConfig(sensors),
        QuerySettings.fromConfig(sensors),
        QueryLimits.fromConfig(sensors, db),
        QuotaSettings.fromConfig(sensors),
        AuthSettings.fromConfig(sensors),
        SilenceSettings.fromConfig(sensors),
        sensors.getDuration("readings.max-backfill"),
        sensors.getDuration("metrics.poll-interval"));
  }
}
