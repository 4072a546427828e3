package org.sensorcluster.http;

import com.typesafe.config.Config;
import org.sensorcluster.domain.auth.Quota;

/**
 * {@code sensors.quotas}: the quota of a device token that has none of its own, and the share of
 * this node's write permits ({@code sensors.http.max-writes-in-flight}) one device token may hold,
 * so that one noisy device cannot take them all from the others (beyond it: 429).
 */
public record QuotaSettings(Quota deviceDefaults, double deviceWriteShare) {

  public QuotaSettings {
    if (!(deviceWriteShare > 0 && deviceWriteShare <= 1)) {
      throw new IllegalArgumentException(
          "device-write-share must be in (0, 1], got " + deviceWriteShare);
    }
  }

  public static QuotaSettings fromConfig(Config sensors) {
    Config d = sensors.getConfig("quotas.device");
    return new QuotaSettings(
        new Quota(
            d.getDouble("readings-per-second"),
            d.getDouble("requests-per-second"),
            d.getDouble("new-sensors-per-hour")),
        d.getDouble("write-share"));
  }

  /** No quota and no share limit (tests of other things). */
  public static QuotaSettings unlimited() {
    return new QuotaSettings(Quota.UNLIMITED, 1.0);
  }
}
