package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class BatchProgressTest {

  private static final Duration WINDOW = Duration.ofSeconds(5);

  private long now = 1_000;
  private final List<long[]> dueAt = new ArrayList<>();
  private final List<Runnable> due = new ArrayList<>();
  private final List<Duration> delays = new ArrayList<>();
  private final BatchProgress progress = new BatchProgress(() -> now);

  private <T> CompletableFuture<T> ask(CompletableFuture<T> asked) {
    return progress.whileProgressing(
        asked,
        WINDOW,
        (delay, task) -> {
          delays.add(delay);
          dueAt.add(new long[] {now + delay.toNanos()});
          due.add(task);
        });
  }

  /** Moves the clock and runs the checks scheduled until then. */
  private void advance(Duration d) {
    now += d.toNanos();
    for (int i = 0; i < due.size(); i++) {
      if (dueAt.get(i)[0] <= now) {
        Runnable task = due.remove(i);
        dueAt.remove(i);
        task.run();
        i = -1; // the task may have scheduled another
      }
    }
  }

  @Test
  void a_write_waits_past_the_window_while_other_writes_of_its_batch_are_confirmed() {
    CompletableFuture<String> slow = ask(new CompletableFuture<>());
    assertEquals(List.of(WINDOW), delays, "first look when the window has passed");
    advance(Duration.ofSeconds(4));
    progress.confirmed(); // another sensor of the batch answered at 4 s
    advance(Duration.ofSeconds(1)); // 5 s: the look finds progress 1 s ago
    assertFalse(slow.isDone());
    assertEquals(Duration.ofSeconds(4), delays.get(delays.size() - 1), "next look at 4 + 5 s");
    advance(Duration.ofSeconds(3));
    progress.confirmed(); // 8 s
    advance(Duration.ofSeconds(4)); // 12 s: the look at 9 s found progress at 8 s
    assertFalse(slow.isDone());
    advance(Duration.ofSeconds(1)); // 13 s: nothing since 8 s
    assertTrue(slow.isCompletedExceptionally(), "5 s without progress");
  }

  @Test
  void a_write_fails_once_no_write_of_its_batch_was_confirmed_for_the_window() throws Exception {
    CompletableFuture<String> stuck = ask(new CompletableFuture<>());
    advance(Duration.ofSeconds(2));
    progress.confirmed();
    advance(Duration.ofSeconds(3)); // 5 s: progress at 2 s, look again at 7 s
    assertFalse(stuck.isDone());
    advance(Duration.ofSeconds(2)); // 7 s: nothing since 2 s
    assertTrue(stuck.isCompletedExceptionally());
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, stuck::get);
    assertInstanceOf(TimeoutException.class, e.getCause());
  }

  @Test
  void an_answer_ends_the_watch_and_confirmations_never_go_back_in_time() throws Exception {
    CompletableFuture<String> asked = new CompletableFuture<>();
    CompletableFuture<String> answer = ask(asked);
    asked.complete("stored");
    assertEquals("stored", answer.get());
    advance(WINDOW);
    assertTrue(due.isEmpty(), "no further look after the answer");

    long began = progress.now();
    progress.confirmed();
    now -= 10; // a clock read on another thread may lag
    progress.confirmed();
    assertEquals(WINDOW.toNanos() + 10, progress.nanosUntilStalled(began, WINDOW));
  }

  @Test
  void a_failed_write_is_handed_over_as_it_failed() {
    CompletableFuture<String> asked = new CompletableFuture<>();
    CompletableFuture<String> answer = ask(asked);
    asked.completeExceptionally(new IllegalStateException("journal down"));
    assertTrue(answer.isCompletedExceptionally());
  }
}
