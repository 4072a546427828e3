package org.sensorcluster.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.sensorcluster.domain.view.ModelLag;

/**
 * Serves a {@link ModelQuery} over the read models: refuses unknown parameters, waits (at most
 * {@link QuerySettings#minSeqTimeout()}) until every awaited model applied {@code minSeq}, and says
 * how far behind the journal the answering model is ({@code X-Read-Model-Lag-Ms}, {@code
 * X-Read-Model-Lag-Events}).
 */
final class QueryRunner extends AllDirectives {

  private final SensorQueries queries;
  private final QuerySettings settings;

  QueryRunner(SensorQueries queries, QuerySettings settings) {
    this.queries = queries;
    this.settings = settings;
  }

  Route serve(Set<String> allowed, Function<Map<String, String>, ModelQuery> parse) {
    return parameterMap(
        params -> {
          ModelQuery q;
          try {
            Set<String> unknown = new TreeSet<>(params.keySet());
            unknown.removeAll(allowed);
            if (!unknown.isEmpty()) {
              throw new BadParameterException(
                  "unknown parameter(s) "
                      + unknown
                      + "; this endpoint takes "
                      + new TreeSet<>(allowed));
            }
            q = parse.apply(params);
          } catch (BadParameterException e) {
            return complete(
                Problems.response(StatusCodes.BAD_REQUEST, "invalid-parameter", e.getMessage()));
          }
          return completeWithFuture(run(q));
        });
  }

  private CompletionStage<HttpResponse> run(ModelQuery q) {
    CompletionStage<HttpResponse> answer;
    if (q.minSeq() == null) {
      answer = q.run().get();
    } else {
      long deadline = System.nanoTime() + settings.minSeqTimeout().toNanos();
      answer =
          awaitAll(q, 0, deadline)
              .handle(
                  (missing, failure) -> {
                    if (failure != null) {
                      return BatchIngest.unwrap(failure) instanceof IllegalArgumentException beyond
                          ? CompletableFuture.completedFuture(
                              Problems.response(
                                  StatusCodes.BAD_REQUEST,
                                  "invalid-parameter",
                                  "minSeq: " + beyond.getMessage()))
                          : CompletableFuture.<HttpResponse>failedFuture(failure);
                    }
                    return missing == null
                        ? q.run().get()
                        : CompletableFuture.completedFuture(
                            Problems.unavailable(
                                "read model "
                                    + missing
                                    + " has not applied "
                                    + q.minSeq().sensorId()
                                    + ":"
                                    + q.minSeq().seqNr()
                                    + " within "
                                    + settings.minSeqTimeout().toMillis()
                                    + " ms; retry later",
                                settings.retryAfter(),
                                Map.of("readModel", missing)));
                  })
              .thenCompose(r -> r);
    }
    // a route that knows which model answered (readings: step=auto) sets the lag headers itself
    return answer.thenApply(
        r -> r.getHeader("X-Read-Model").isPresent() ? r : withLag(r, q.model()));
  }

  /**
   * Null when every awaited model applied minSeq before the deadline, else the first that did not.
   */
  private CompletionStage<String> awaitAll(ModelQuery q, int i, long deadline) {
    if (i == q.awaited().size()) {
      return CompletableFuture.completedFuture(null);
    }
    String model = q.awaited().get(i);
    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    return queries
        .awaitApplied(model, q.minSeq().sensorId(), q.minSeq().seqNr(), left)
        .thenCompose(
            applied ->
                applied ? awaitAll(q, i + 1, deadline) : CompletableFuture.completedFuture(model));
  }

  HttpResponse withLag(HttpResponse response, String model) {
    ModelLag lag = queries.lag(model);
    if (lag == null) {
      return response;
    }
    return response.addHeaders(
        List.of(
            RawHeader.create("X-Read-Model", model),
            RawHeader.create("X-Read-Model-Lag-Ms", Long.toString(lag.millis())),
            RawHeader.create("X-Read-Model-Lag-Events", Long.toString(lag.events()))));
  }
}
