package org.sensorcluster.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/v1/admin/projections}; {@code POST /api/v1/admin/projections/{name}/rebuild},
 * {@code .../pause} and {@code .../resume}.
 */
final class ProjectionAdminRoutes extends AllDirectives {

  private final ReadModelAdmin admin;
  private final Function<Throwable, HttpResponse> failures;

  ProjectionAdminRoutes(ReadModelAdmin admin, Function<Throwable, HttpResponse> failures) {
    this.admin = admin;
    this.failures = failures;
  }

  Route status() {
    return completeWithFuture(admin.projections().thenApply(list -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("projections", list);
      return Json.response(StatusCodes.OK, body);
    }).exceptionally(failures));
  }

  Route rebuild(String name) {
    return completeWithFuture(admin.rebuild(name).thenApply(generation -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("generation", generation);
      body.put("state", "rebuilding");
      body.put("progress", "/api/v1/admin/projections");
      return Json.response(StatusCodes.ACCEPTED, body);
    }).exceptionally(failure -> {
      Throwable t = BatchIngest.unwrap(failure);
      if (t instanceof IllegalArgumentException) {
        return Problems.response(StatusCodes.NOT_FOUND, "unknown-read-model", t.getMessage());
      }
      if (t instanceof IllegalStateException) {
        return Problems.response(StatusCodes.CONFLICT, "rebuild-in-progress", t.getMessage());
      }
      return failures.apply(failure);
    }));
  }

  Route setPaused(String name, boolean paused) {
    return completeWithFuture(admin.setPaused(name, paused).thenApply(done -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("state", paused ? "paused" : "running");
      return Json.response(StatusCodes.OK, body);
    }).exceptionally(failure -> {
      Throwable t = BatchIngest.unwrap(failure);
      if (t instanceof IllegalArgumentException) {
        return Problems.response(StatusCodes.NOT_FOUND, "unknown-read-model", t.getMessage());
      }
      return failures.apply(failure);
    }));
  }
}
