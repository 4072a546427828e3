package org.sensorcluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard ({@link DashboardRoutes}): the page and every file it loads answer without a token,
 * with the media type a browser needs to run them; nothing else is served from there.
 */
class DashboardRoutesTest extends ApiTestBase {

  private static final Pattern LOADS = Pattern.compile("(?:src|href)=\"(/ui/[^\"]+)\"");
  private static final Pattern IMPORTS = Pattern.compile("from '\\./([^']+)'");

  private Resp open(String path) {
    return send(anonymous(base, path).GET().build());
  }

  @Test
  void thePageIsServedWithoutAToken() {
    Resp page = open("/");
    assertEquals(200, page.status(), page::toString);
    assertEquals("text/html", mediaType(page));
    assertTrue(page.body().contains("id=\"token-form\""), page::body);
  }

  @Test
  void everyFileThePageAndItsModulesLoadIsServedWithItsMediaType() {
    List<String> files = new ArrayList<>();
    Matcher loads = LOADS.matcher(open("/").body());
    while (loads.find()) {
      files.add(loads.group(1));
    }
    assertTrue(
        files.containsAll(
            List.of(
                "/ui/app.js",
                "/ui/dashboard.css",
                "/ui/uplot/dist/uPlot.iife.min.js",
                "/ui/uplot/dist/uPlot.min.css")),
        files::toString);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      String file = files.get(i);
      Resp r = open(file);
      String expected = file.endsWith(".css") ? "text/css" : "application/javascript";
      if (r.status() != 200 || !mediaType(r).equals(expected)) {
        failures.add(file + " -> " + r.status() + " " + r.contentType());
      }
      Matcher imports = IMPORTS.matcher(r.body());
      while (imports.find()) {
        String module = "/ui/" + imports.group(1);
        if (!files.contains(module)) {
          files.add(module);
        }
      }
    }
    assertEquals(List.of(), failures);
    assertTrue(
        files.containsAll(
            List.of(
                "/ui/fleet.js",
                "/ui/sensor.js",
                "/ui/operations.js",
                "/ui/chart.js",
                "/ui/stream.js")),
        files::toString);
  }

  @Test
  void nothingElseIsServedThere() {
    assertEquals(404, open("/ui/no-such-file.js").status());
    assertEquals(404, open("/ui/%2E%2E/openapi/openapi.json").status());
    assertEquals(404, open("/ui/uplot/dist/no-such-file.js").status());
    assertEquals(405, method("POST", "/").status());
    assertEquals(405, method("DELETE", "/ui/app.js").status());
  }

  @Test
  void aWebJarMissingFromTheClasspathIsNamed() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> WebJars.directory("org.webjars.npm", "no-such-webjar"));
    assertTrue(e.getMessage().contains("org.webjars.npm:no-such-webjar"), e::getMessage);
  }
}
