package org.sensorcluster.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Operations, under {@code /api/v1/admin}: {@code GET cluster} (the members as this node sees
 * them); {@code GET projections}, {@code POST projections/{name}/rebuild}, {@code .../pause} and
 * {@code .../resume}; {@code GET projections/dead-letters} (the poison events skipped, newest
 * first, {@code ?limit=} up to 1000) and {@code DELETE
 * projections/dead-letters/{projection}/{persistenceId}/{seqNr}}.
 */
final class AdminRoutes extends AllDirectives {

  private final ReadModelAdmin readModels;
  private final ClusterAdmin cluster;

  AdminRoutes(ReadModelAdmin readModels, ClusterAdmin cluster) {
    this.readModels = readModels;
    this.cluster = cluster;
  }

  Route cluster() {
    return completeWithFuture(cluster.status().thenApply(v -> Json.response(StatusCodes.OK, v)));
  }

  Route projections() {
    return completeWithFuture(
        readModels
            .projections()
            .thenApply(
                list -> {
                  Map<String, Object> body = new LinkedHashMap<>();
                  body.put("projections", list);
                  return Json.response(StatusCodes.OK, body);
                }));
  }

  /** Most dead letters one answer lists. */
  static final int MAX_DEAD_LETTERS = 1000;

  /** {@code limit}: how many (default and most {@link #MAX_DEAD_LETTERS}). */
  Route deadLetters(java.util.Optional<String> limitParam) {
    int limit;
    try {
      limit = limitParam.map(Integer::parseInt).orElse(MAX_DEAD_LETTERS);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_DEAD_LETTERS) {
      return complete(
          Problems.response(
              StatusCodes.BAD_REQUEST,
              "invalid-parameter",
              "limit must be a whole number from 1 to "
                  + MAX_DEAD_LETTERS
                  + ": "
                  + limitParam.orElse("")));
    }
    return completeWithFuture(
        readModels
            .deadLetters(limit)
            .thenApply(
                list -> {
                  Map<String, Object> body = new LinkedHashMap<>();
                  body.put("deadLetters", list);
                  return Json.response(StatusCodes.OK, body);
                }));
  }

  Route discardDeadLetter(String projection, String persistenceId, String seqNr) {
    return withSeqNr(seqNr, seq -> discardDeadLetter(projection, persistenceId, seq));
  }

  /** A dead letter's sequence number from its path segment; 400 when it is not a whole number. */
  private Route withSeqNr(String seqNr, java.util.function.LongFunction<Route> inner) {
    long seq;
    try {
      seq = Long.parseLong(seqNr);
    } catch (NumberFormatException e) {
      return complete(
          Problems.response(
              StatusCodes.BAD_REQUEST,
              "invalid-parameter",
              "the sequence number must be a whole number: " + seqNr));
    }
    return inner.apply(seq);
  }

  private Route discardDeadLetter(String projection, String persistenceId, long seq) {
    return completeWithFuture(
        readModels
            .discardDeadLetter(projection, persistenceId, seq)
            .thenApply(
                found ->
                    found
                        ? HttpResponse.create().withStatus(StatusCodes.NO_CONTENT)
                        : Problems.response(
                            StatusCodes.NOT_FOUND,
                            "unknown-dead-letter",
                            "no dead letter of "
                                + projection
                                + " for "
                                + persistenceId
                                + " seq "
                                + seq)));
  }

  Route retryDeadLetter(String projection, String persistenceId, String seqNr) {
    return withSeqNr(seqNr, seq -> retryDeadLetter(projection, persistenceId, seq));
  }

  private Route retryDeadLetter(String projection, String persistenceId, long seq) {
    String which = projection + " for " + persistenceId + " seq " + seq;
    return completeWithFuture(
        readModels
            .retryDeadLetter(projection, persistenceId, seq)
            .thenApply(
                r ->
                    switch (r.outcome()) {
                      case "APPLIED" -> {
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("projection", projection);
                        body.put("persistenceId", persistenceId);
                        body.put("seqNr", seq);
                        body.put("outcome", "applied");
                        yield Json.response(StatusCodes.OK, body);
                      }
                      case "NOT_FOUND" ->
                          Problems.response(
                              StatusCodes.NOT_FOUND,
                              "unknown-dead-letter",
                              "no dead letter of " + which);
                      case "STILL_FAILING" ->
                          Problems.response(
                              StatusCodes.CONFLICT,
                              "dead-letter-still-failing",
                              "the read model still cannot apply the event of "
                                  + which
                                  + "; the dead letter stays: "
                                  + r.detail());
                      default ->
                          Problems.response(
                              StatusCodes.CONFLICT,
                              "dead-letter-not-retryable",
                              "cannot retry the dead letter of " + which + ": " + r.detail());
                    }));
  }

  Route rebuild(String name) {
    return completeWithFuture(
        readModels
            .rebuild(name)
            .thenApply(
                generation -> {
                  Map<String, Object> body = new LinkedHashMap<>();
                  body.put("name", name);
                  body.put("generation", generation);
                  body.put("state", "rebuilding");
                  body.put("progress", "/api/v1/admin/projections");
                  return Json.response(StatusCodes.ACCEPTED, body);
                })
            .exceptionally(AdminRoutes::rebuildProblem));
  }

  Route setPaused(String name, boolean paused) {
    return completeWithFuture(
        readModels
            .setPaused(name, paused)
            .thenApply(
                done -> {
                  Map<String, Object> body = new LinkedHashMap<>();
                  body.put("name", name);
                  body.put("state", paused ? "paused" : "running");
                  return Json.response(StatusCodes.OK, body);
                })
            .exceptionally(AdminRoutes::unknownModel));
  }

  /** A rebuild already running is 409; see {@link #unknownModel}. */
  private static HttpResponse rebuildProblem(Throwable failure) {
    Throwable t = BatchIngest.unwrap(failure);
    if (t instanceof IllegalStateException) {
      return Problems.response(StatusCodes.CONFLICT, "rebuild-in-progress", t.getMessage());
    }
    return unknownModel(t);
  }

  /** An unknown read model is 404; any other failure goes on to {@link FailureResponses}. */
  private static HttpResponse unknownModel(Throwable failure) {
    Throwable t = BatchIngest.unwrap(failure);
    if (t instanceof IllegalArgumentException) {
      return Problems.response(StatusCodes.NOT_FOUND, "unknown-read-model", t.getMessage());
    }
    throw new CompletionException(t);
  }
}
