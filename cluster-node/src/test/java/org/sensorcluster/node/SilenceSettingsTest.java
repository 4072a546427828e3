package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sensorcluster.node.entity.SensorEntitySettings;

/**
 * {@code sensors.silence}: off by default, a duration otherwise, bounded like a sensor's own
 * interval.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SilenceSettingsTest {

  private static SilenceSettings parse(String silence) {
    return SilenceSettings.fromConfig(
        ConfigFactory.parseString("silence { " + silence + " }")
            .withFallback(ConfigFactory.load().getConfig("sensors")));
  }

  @Test
  void theShippedDefaultsAreOffEvery30sAtMost1000() {
    SilenceSettings s = SilenceSettings.fromConfig(ConfigFactory.load().getConfig("sensors"));
    assertEquals(new SilenceSettings(null, Duration.ofSeconds(30), 1000), s);
    assertNull(
        SensorEntitySettings.fromConfig(ConfigFactory.load().getConfig("sensors"))
            .defaultExpectedInterval());
  }

  @Test
  void aDefaultIntervalAsAnEnvironmentVariableWouldGiveIt() {
    assertEquals(
        Duration.ofMinutes(15),
        parse("default-expected-interval = \"15m\"").defaultExpectedInterval());
    assertEquals(
        Duration.ofMinutes(15), parse("default-expected-interval = 15m").defaultExpectedInterval());
    assertNull(parse("default-expected-interval = \"off\"").defaultExpectedInterval());
    assertNull(parse("default-expected-interval = \"\"").defaultExpectedInterval());
  }

  @Test
  void nonsenseIsRefusedAtStart() {
    assertThrows(IllegalArgumentException.class, () -> parse("check-interval = 0s"));
    assertThrows(IllegalArgumentException.class, () -> parse("batch-limit = 0"));
    assertThrows(RuntimeException.class, () -> parse("default-expected-interval = soon"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SensorEntitySettings.fromConfig(
                ConfigFactory.parseString("silence.default-expected-interval = 31d")
                    .withFallback(ConfigFactory.load().getConfig("sensors"))));
  }
}
