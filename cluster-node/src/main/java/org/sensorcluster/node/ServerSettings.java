package org.sensorcluster.node;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Where the node serves HTTP and how it stops serving, from {@code sensors.http}.
 *
 * @param host the interface HTTP binds to
 * @param port the HTTP port (0: any free one)
 * @param drainTime how long open connections are still answered after unbinding; at most 4s
 */
record ServerSettings(String host, int port, Duration drainTime) {

  ServerSettings {
    if (drainTime.compareTo(Duration.ofSeconds(4)) > 0) {
      throw new IllegalArgumentException("sensors.http.drain-time is at most 4s, got " + drainTime);
    }
  }

  static ServerSettings fromConfig(Config sensors) {
    Config http = sensors.getConfig("http");
    return new ServerSettings(
        http.getString("host"), http.getInt("port"), http.getDuration("drain-time"));
  }
}
