package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sensorcluster.domain.auth.Principal;
import org.sensorcluster.domain.auth.Quota;
import org.sensorcluster.domain.auth.Role;

/** The token buckets of {@link Quotas}, on a fake clock. */
class QuotasTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Quotas quotas = new Quotas(now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private static Principal device(String id, Quota q) {
    return new Principal(id, Role.DEVICE, "", q);
  }

  @Test
  void requests_beyond_the_rate_wait_until_the_bucket_refills() {
    Principal p = device("a", new Quota(1e6, 2, 1e6));
    assertEquals(Duration.ZERO, quotas.admitRequest(p));
    assertEquals(Duration.ZERO, quotas.admitRequest(p));
    Duration wait = quotas.admitRequest(p);
    assertEquals(Duration.ofMillis(500), wait);
    advance(Duration.ofMillis(499));
    assertFalse(quotas.admitRequest(p).isZero());
    advance(Duration.ofMillis(2));
    assertEquals(Duration.ZERO, quotas.admitRequest(p));
  }

  @Test
  void a_batch_larger_than_a_second_of_quota_passes_once_and_the_debt_is_paid_back() {
    Principal p = device("a", new Quota(100, 1e6, 1e6));
    assertEquals(Duration.ZERO, quotas.takeReadings(p, 250)); // 100 in the bucket, 150 of debt
    Duration wait = quotas.takeReadings(p, 1);
    assertTrue(
        wait.compareTo(Duration.ofMillis(1500)) >= 0 && wait.compareTo(Duration.ofMillis(1520)) < 0,
        wait::toString);
    advance(Duration.ofMillis(1400));
    assertFalse(quotas.takeReadings(p, 1).isZero(), "still in debt");
    advance(Duration.ofMillis(200));
    assertEquals(Duration.ZERO, quotas.takeReadings(p, 1));
  }

  @Test
  void readings_within_the_bucket_never_go_into_debt() {
    Principal p = device("a", new Quota(100, 1e6, 1e6));
    assertEquals(Duration.ZERO, quotas.takeReadings(p, 60));
    Duration wait = quotas.takeReadings(p, 60); // 40 left: waits for 20 more, 200 ms
    assertEquals(Duration.ofMillis(200), wait);
    advance(wait);
    assertEquals(Duration.ZERO, quotas.takeReadings(p, 60));
  }

  @Test
  void new_sensors_per_hour() {
    Principal p = device("a", new Quota(1e6, 1e6, 2));
    assertTrue(quotas.mayCreateSensor(p));
    quotas.sensorsCreated(p, 2);
    assertFalse(quotas.mayCreateSensor(p));
    assertEquals(Duration.ofMinutes(30), quotas.untilNewSensor(p));
    advance(Duration.ofMinutes(30));
    assertTrue(quotas.mayCreateSensor(p));
  }

  @Test
  void each_token_has_its_own_buckets_and_unlimited_ones_none() {
    Principal a = device("a", new Quota(1e6, 1, 1e6));
    Principal b = device("b", new Quota(1e6, 1, 1e6));
    assertEquals(Duration.ZERO, quotas.admitRequest(a));
    assertFalse(quotas.admitRequest(a).isZero());
    assertEquals(Duration.ZERO, quotas.admitRequest(b));
    Principal admin = new Principal("admin", Role.ADMIN, "");
    for (int i = 0; i < 1000; i++) {
      assertEquals(Duration.ZERO, quotas.admitRequest(admin));
      assertEquals(Duration.ZERO, quotas.takeReadings(admin, 1_000_000));
    }
  }

  @Test
  void a_changed_quota_takes_effect_with_full_buckets() {
    assertEquals(Duration.ZERO, quotas.admitRequest(device("a", new Quota(1e6, 1, 1e6))));
    assertFalse(quotas.admitRequest(device("a", new Quota(1e6, 1, 1e6))).isZero());
    assertEquals(Duration.ZERO, quotas.admitRequest(device("a", new Quota(1e6, 5, 1e6))));
  }
}
