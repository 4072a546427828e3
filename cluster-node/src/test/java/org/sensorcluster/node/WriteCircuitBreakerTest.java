package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteCircuitBreakerTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final WriteCircuitBreaker breaker =
      new WriteCircuitBreaker(3, Duration.ofSeconds(5), Duration.ofSeconds(1), now::get);

  @Test
  void opens_after_max_consecutive_failures_and_closes_after_reset_timeout() {
    breaker.recordFailure();
    breaker.recordFailure();
    assertFalse(breaker.isOpen());
    breaker.recordFailure();
    assertTrue(breaker.isOpen());
    assertEquals(Duration.ofSeconds(5), breaker.remainingOpen());
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertEquals(Duration.ofSeconds(3), breaker.remainingOpen());
    now.addAndGet(Duration.ofSeconds(3).toNanos());
    assertFalse(breaker.isOpen());
  }

  @Test
  void does_not_open_while_other_writes_succeed() {
    breaker.recordSuccess();
    for (int i = 0; i < 10; i++) {
      breaker.recordFailure(); // e.g. sensors queued behind a burst of recoveries timing out
    }
    assertFalse(breaker.isOpen(), "a write succeeded within the quiet window: the journal works");
    now.addAndGet(Duration.ofMillis(1_500).toNanos());
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordFailure();
    assertTrue(breaker.isOpen(), "nothing succeeded for longer than the quiet window");
  }

  @Test
  void a_success_resets_the_failure_count() {
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    breaker.recordFailure();
    breaker.recordFailure();
    assertFalse(breaker.isOpen());
  }

  @Test
  void one_failure_after_an_open_period_reopens_at_once_and_a_success_closes_for_good() {
    for (int i = 0; i < 3; i++) {
      breaker.recordFailure();
    }
    now.addAndGet(Duration.ofSeconds(6).toNanos());
    assertFalse(breaker.isOpen());
    breaker.recordFailure();
    assertTrue(breaker.isOpen(), "the trial write failed: open again");
    now.addAndGet(Duration.ofSeconds(6).toNanos());
    breaker.recordSuccess();
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    breaker.recordFailure();
    assertFalse(breaker.isOpen(), "after a success it takes max-failures again");
  }
}
