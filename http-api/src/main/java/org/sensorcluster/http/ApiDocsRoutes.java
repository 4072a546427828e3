package org.sensorcluster.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;
import static org.sensorcluster.http.RequestContext.metered;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The API description, open to everyone (it holds no data and is needed before one has a token):
 * {@code GET /api/v1/openapi.json} (the resource {@code openapi/openapi.json}) and Swagger UI at
 * {@code GET /api/docs}, its scripts and styles under {@code /api/docs/} from the {@code
 * org.webjars:swagger-ui} WebJar on the classpath (no CDN).
 */
final class ApiDocsRoutes extends AllDirectives {

  static final String DOCUMENT = "openapi/openapi.json";
  private static final String WEBJAR = WebJars.directory("org.webjars", "swagger-ui");

  /** {@code /api/v1/openapi.json}; inside {@code pathPrefix("api")}. */
  Route document() {
    return path(
        segment("v1").slash("openapi.json"),
        () ->
            metered(
                "openapi",
                () -> get(() -> getFromResource(DOCUMENT, ContentTypes.APPLICATION_JSON))));
  }

  /** {@code /api/docs} and the Swagger UI files under it; inside {@code pathPrefix("api")}. */
  Route swaggerUi() {
    return pathPrefix(
        "docs",
        () ->
            metered(
                "docs",
                () ->
                    get(
                        () ->
                            concat(
                                pathEnd(
                                    () ->
                                        getFromResource(
                                            "openapi/swagger-ui.html",
                                            MediaTypes.TEXT_HTML.toContentType(
                                                HttpCharsets.UTF_8))),
                                path(
                                    "swagger-initializer.js",
                                    () ->
                                        getFromResource(
                                            "openapi/swagger-initializer.js",
                                            MediaTypes.APPLICATION_JAVASCRIPT.toContentType(
                                                HttpCharsets.UTF_8))),
                                getFromResourceDirectory(WEBJAR)))));
  }
}
