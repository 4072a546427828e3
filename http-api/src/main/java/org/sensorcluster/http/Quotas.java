package org.sensorcluster.http;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.sensorcluster.domain.auth.Principal;
import org.sensorcluster.domain.auth.Quota;

/**
 * Per-token quotas on this node: token buckets for requests, readings and new sensors, refilled at
 * the token's rate, holding at most one second's worth (new sensors: one hour's). A bucket may go
 * into debt by one request's worth, so a batch larger than a second's quota still passes once and
 * the next requests wait until it is paid back. Over the quota: 429 + {@code Retry-After} (the time
 * until the bucket is positive again). Tokens without a quota cost nothing here.
 */
final class Quotas {

  private final LongSupplier nanos;
  private final ConcurrentHashMap<String, Buckets> byToken = new ConcurrentHashMap<>();

  Quotas(LongSupplier nanos) {
    this.nanos = nanos;
  }

  /** One request of {@code who}: {@link Duration#ZERO} when admitted, else how long to wait. */
  Duration admitRequest(Principal who) {
    if (who.quota().unlimited()) {
      return Duration.ZERO;
    }
    Buckets b = buckets(who);
    return b.requests.take(1, nanos.getAsLong());
  }

  /** {@code n} readings of {@code who}. */
  Duration takeReadings(Principal who, int n) {
    if (who.quota().unlimited() || n == 0) {
      return Duration.ZERO;
    }
    return buckets(who).readings.take(n, nanos.getAsLong());
  }

  /** Whether {@code who} may create (auto-register) another sensor now. */
  boolean mayCreateSensor(Principal who) {
    return who.quota().unlimited() || buckets(who).newSensors.available(nanos.getAsLong());
  }

  /** {@code who} created {@code n} sensors. */
  void sensorsCreated(Principal who, int n) {
    if (!who.quota().unlimited() && n > 0) {
      buckets(who).newSensors.take(n, nanos.getAsLong());
    }
  }

  /** How long until {@code who} may create a sensor again. */
  Duration untilNewSensor(Principal who) {
    return who.quota().unlimited()
        ? Duration.ZERO
        : buckets(who).newSensors.untilOne(nanos.getAsLong());
  }

  private Buckets buckets(Principal who) {
    Buckets b = byToken.get(who.tokenId());
    if (b == null || !b.quota.equals(who.quota())) { // new token, or its quota changed
      b = new Buckets(who.quota(), nanos.getAsLong());
      byToken.put(who.tokenId(), b);
    }
    return b;
  }

  private static final class Buckets {
    final Quota quota;
    final Bucket requests;
    final Bucket readings;
    final Bucket newSensors;

    Buckets(Quota q, long now) {
      quota = q;
      requests = new Bucket(q.requestsPerSecond(), Math.max(1, q.requestsPerSecond()), now);
      readings = new Bucket(q.readingsPerSecond(), Math.max(1, q.readingsPerSecond()), now);
      newSensors = new Bucket(q.newSensorsPerHour() / 3600.0, q.newSensorsPerHour(), now);
    }
  }

  /** A token bucket: {@code perSecond} refill, at most {@code capacity}; may go into debt. */
  static final class Bucket {
    private final double perSecond;
    private final double capacity;
    private double level;
    private long at;

    Bucket(double perSecond, double capacity, long now) {
      this.perSecond = perSecond;
      this.capacity = capacity;
      this.level = capacity;
      this.at = now;
    }

    private void refill(long now) {
      if (now > at) {
        level = Math.min(capacity, level + (now - at) / 1e9 * perSecond);
        at = now;
      }
    }

    /** Takes {@code n} when the bucket is positive (going into debt if need be); else the wait. */
    synchronized Duration take(int n, long now) {
      refill(now);
      if (level <= 0 || (level < n && capacity >= n)) {
        return waitFor(Math.max(n - level, -level + 1e-9));
      }
      level -= n;
      return Duration.ZERO;
    }

    synchronized boolean available(long now) {
      refill(now);
      return level >= 1;
    }

    synchronized Duration untilOne(long now) {
      refill(now);
      return level >= 1 ? Duration.ZERO : waitFor(1 - level);
    }

    private Duration waitFor(double missing) {
      if (perSecond <= 0) {
        return Duration.ofHours(1);
      }
      return Duration.ofNanos((long) Math.ceil(missing / perSecond * 1e9));
    }
  }
}
