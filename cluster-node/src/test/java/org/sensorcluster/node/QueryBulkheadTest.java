package org.sensorcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.sensorcluster.http.ServiceUnavailableException;

class QueryBulkheadTest {

  @Test
  void beyond_max_queries_in_flight_a_query_is_refused_with_503_and_never_started() {
    QueryBulkhead b = new QueryBulkhead(2, Duration.ofSeconds(3));
    CompletableFuture<String> one = new CompletableFuture<>();
    CompletableFuture<String> two = new CompletableFuture<>();
    b.run(() -> one);
    b.run(() -> two);
    boolean[] started = {false};
    CompletionException refused =
        assertThrows(
            CompletionException.class,
            () ->
                b.<String>run(
                        () -> {
                          started[0] = true;
                          return CompletableFuture.completedFuture("x");
                        })
                    .toCompletableFuture()
                    .join());
    assertTrue(
        refused.getCause() instanceof ServiceUnavailableException su
            && su.retryAfter().getSeconds() == 3);
    assertEquals(false, started[0], "a refused query never reaches the database");
    one.complete("done");
    assertEquals(
        "y", b.run(() -> CompletableFuture.completedFuture("y")).toCompletableFuture().join());
    two.completeExceptionally(new IllegalStateException("db down"));
    assertEquals(2, b.available(), "failed queries give their permit back too");
  }

  @Test
  void a_query_that_throws_before_it_starts_gives_its_permit_back() {
    QueryBulkhead b = new QueryBulkhead(1, Duration.ofSeconds(1));
    assertThrows(
        CompletionException.class,
        () ->
            b.run(
                    () -> {
                      throw new IllegalStateException("no connection");
                    })
                .toCompletableFuture()
                .join());
    assertEquals(1, b.available());
  }

  @Test
  void whoever_sees_the_answer_finds_the_permit_already_free() {
    QueryBulkhead b = new QueryBulkhead(1, Duration.ofSeconds(1));
    CompletableFuture<String> db = new CompletableFuture<>();
    int[] seenFree = {-1};
    b.run(() -> db).thenAccept(answer -> seenFree[0] = b.available());
    db.complete("row");
    assertEquals(1, seenFree[0], "the answer's dependents run after the release");
  }

  @Test
  void a_timed_out_answer_keeps_the_permit_until_the_database_work_ends() {
    QueryBulkhead b = new QueryBulkhead(1, Duration.ofSeconds(1));
    CompletableFuture<String> db = new CompletableFuture<>();
    CompletableFuture<String> answer = b.run(() -> db).toCompletableFuture();
    answer.completeExceptionally(new java.util.concurrent.TimeoutException("query timeout"));
    assertEquals(0, b.available(), "the database still works on it");
    db.complete("late row");
    assertEquals(1, b.available());
  }

  @Test
  void auto_is_half_the_read_model_pool() {
    assertEquals(4, QueryBulkhead.maxOf("auto", 8));
    assertEquals(1, QueryBulkhead.maxOf("auto", 1));
    assertEquals(7, QueryBulkhead.maxOf("7", 8));
    assertThrows(IllegalArgumentException.class, () -> QueryBulkhead.maxOf("many", 8));
  }
}
