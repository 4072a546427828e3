package org.sensorcluster.domain.view;

import java.time.Instant;
import java.util.Map;

/**
 * Fleet overview for {@code GET /api/v1/stats}.
 *
 * @param sensors sensors in the read model (decommissioned included)
 * @param decommissioned of which decommissioned
 * @param sensorsByType count per type ("" for sensors without a type)
 * @param openAlerts alerts open now
 * @param readingsLastMinute readings measured in the last minute (by reading timestamp, from the
 *     1-minute rollups)
 * @param readingsLastHour readings measured in the last hour
 * @param asOf server time of the figures
 * @param silent sensors silent now (sent nothing for longer than their expected interval)
 */
public record FleetStats(
    long sensors,
    long decommissioned,
    Map<String, Long> sensorsByType,
    long openAlerts,
    long readingsLastMinute,
    long readingsLastHour,
    Instant asOf,
    long silent) {

  public FleetStats(
      long sensors,
      long decommissioned,
      Map<String, Long> sensorsByType,
      long openAlerts,
      long readingsLastMinute,
      long readingsLastHour,
      Instant asOf) {
    this(
        sensors,
        decommissioned,
        sensorsByType,
        openAlerts,
        readingsLastMinute,
        readingsLastHour,
        asOf,
        0);
  }
}
