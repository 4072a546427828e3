package org.sensorcluster.http;

import static org.sensorcluster.http.RequestContext.metered;

import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The web dashboard, open to everyone like {@link ApiDocsRoutes} (the page holds no data; it asks
 * for a token and sends it with every {@code /api/v1} call): the page at {@code GET /}, its scripts
 * and styles under {@code /ui/} (resources {@code dashboard/}), uPlot under {@code /ui/uplot/} from
 * the {@code org.webjars.npm:uplot} WebJar on the classpath (no CDN, no Node.js build).
 */
final class DashboardRoutes extends AllDirectives {

  static final String PAGE = "dashboard/index.html";
  private static final String UPLOT = WebJars.directory("org.webjars.npm", "uplot");

  /** {@code GET /} and {@code GET /ui/...}; at the root of the route tree. */
  Route route() {
    return concat(
        pathSingleSlash(
            () ->
                metered(
                    "dashboard",
                    () ->
                        get(
                            () ->
                                getFromResource(
                                    PAGE,
                                    MediaTypes.TEXT_HTML.toContentType(HttpCharsets.UTF_8))))),
        pathPrefix(
            "ui",
            () ->
                metered(
                    "dashboard",
                    () ->
                        get(
                            () ->
                                concat(
                                    pathPrefix("uplot", () -> getFromResourceDirectory(UPLOT)),
                                    getFromResourceDirectory("dashboard"))))));
  }
}
