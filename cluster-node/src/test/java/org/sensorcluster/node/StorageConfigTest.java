package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StorageConfigTest {

  private static final Duration S30 = Duration.ofSeconds(30);
  private static final Duration S10 = Duration.ofSeconds(10);

  @Test
  void postgres_urls_get_bounded_waits() {
    assertEquals(
        "jdbc:postgresql://h:5432/db?socketTimeout=30&tcpKeepAlive=true"
            + "&options=-c%20idle_in_transaction_session_timeout%3D10000",
        StorageConfig.withConnectionSafety("jdbc:postgresql://h:5432/db", S30, S10));
    assertEquals(
        "jdbc:postgresql://h/db?ssl=true&socketTimeout=30&tcpKeepAlive=true"
            + "&options=-c%20idle_in_transaction_session_timeout%3D10000",
        StorageConfig.withConnectionSafety("jdbc:postgresql://h/db?ssl=true", S30, S10));
  }

  @Test
  void tls_to_postgresql_is_set_in_the_url_and_kept() {
    String url =
        "jdbc:postgresql://db.example:5432/sensors?sslmode=verify-full&sslrootcert=/etc/sensors/pg/ca.crt";
    StorageConfig.Storage s =
        StorageConfig.storageOf(
            ConfigFactory.parseString(
                "sensors.db { url = \""
                    + url
                    + "\", user = u, password = p, socket-timeout = 30s,"
                    + " idle-in-transaction-timeout = 10s }\nsensors.data-dir = /tmp"));
    assertTrue(s.url().startsWith(url + "&"), s.url());
  }

  @Test
  void settings_already_in_the_url_are_left_alone() {
    String url = "jdbc:postgresql://h/db?socketTimeout=5&tcpKeepAlive=false&options=-c%20x%3D1";
    assertEquals(url, StorageConfig.withConnectionSafety(url, S30, S10));
  }

  @Test
  void zero_disables_a_timeout() {
    assertEquals(
        "jdbc:postgresql://h/db?tcpKeepAlive=true",
        StorageConfig.withConnectionSafety("jdbc:postgresql://h/db", Duration.ZERO, Duration.ZERO));
  }

  @Test
  void no_url_means_embedded_h2_under_the_data_dir_and_other_urls_are_refused() {
    Config h2 =
        StorageConfig.load(
            ConfigFactory.parseString("sensors.db.url = \"\"\nsensors.data-dir = \"/tmp/x\""));
    StorageConfig.Storage s = StorageConfig.storageOf(h2);
    assertTrue(s.embedded());
    assertTrue(s.url().startsWith("jdbc:h2:file:/tmp/x/sensors;"), s.url());
    assertEquals(
        "slick.jdbc.H2Profile$",
        h2.getString("pekko-persistence-jdbc.shared-databases.sensors.profile"));
    assertEquals("h2-dialect", h2.getString("pekko.projection.jdbc.dialect"));

    assertThrows(
        IllegalArgumentException.class,
        () ->
            StorageConfig.load(
                ConfigFactory.parseString("sensors.db.url = \"jdbc:mysql://h/db\"")));
  }

  @Test
  void batchRewriteIsAddedUnlessTheUrlChoosesItself() {
    assertEquals(
        "jdbc:postgresql://h/db?reWriteBatchedInserts=true",
        StorageConfig.withBatchRewrite("jdbc:postgresql://h/db"));
    assertEquals(
        "jdbc:postgresql://h/db?ssl=true&reWriteBatchedInserts=true",
        StorageConfig.withBatchRewrite("jdbc:postgresql://h/db?ssl=true"));
    assertEquals(
        "jdbc:postgresql://h/db?reWriteBatchedInserts=false",
        StorageConfig.withBatchRewrite("jdbc:postgresql://h/db?reWriteBatchedInserts=false"));
  }
}
