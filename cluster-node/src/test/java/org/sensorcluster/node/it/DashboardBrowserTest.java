package org.sensorcluster.node.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.sensorcluster.node.SensorNode;

/**
 * The web dashboard of a real node in a real browser: Debian's headless Chromium driven by Selenium
 * through Debian's chromedriver (set explicitly, so Selenium Manager never looks for one on the
 * network). The page shows the sensors the test registered, charts the points the API returns,
 * shows a reading posted while it is open within 2 s and an alert, and rebuilds a read model from
 * the Operations page. Readings and alerts reach the Fleet and Sensor pages through the live
 * streams: those tests wait for the header's {@code data-live="connected"} and make the pages' slow
 * poll 10 minutes long ({@code sensors.dashboard.slowPollSeconds}), so only the stream can have
 * moved the page. Screenshots of each page go to {@code target/screenshots/}. Without Chromium the
 * test is skipped, loudly; under {@code CI=true} it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DashboardBrowserTest {

  /**
   * Debian's; other places with {@code -Dsensors.test.chromium=...} and {@code
   * -Dsensors.test.chromedriver=...}.
   */
  private static final Path CHROMIUM =
      Path.of(System.getProperty("sensors.test.chromium", "/usr/bin/chromium"));

  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("sensors.test.chromedriver", "/usr/bin/chromedriver"));
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dataDir;
  @TempDir static Path profileDir;

  private SensorNode node;
  private ApiClient api;
  private WebDriver browser;
  private String base;

  @BeforeAll
  void startNodeAndBrowser() throws IOException {
    requireBrowser();
    node =
        TestNodes.start(
            com.typesafe.config.ConfigFactory.parseString("sensors.silence.check-interval = 200ms")
                .withFallback(TestNodes.h2(dataDir)));
    api = new ApiClient(node.httpPort());
    base = "http://127.0.0.1:" + node.httpPort() + "/";
    warmUp();
    browser = chromium();
    browser.get(base + "#/fleet");
    until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
    enterToken(TestNodes.ADMIN_TOKEN);
    Files.createDirectories(SCREENSHOTS);
  }

  /**
   * Every test starts with the admin token (one test switches to a reader token) and the default
   * poll.
   */
  @BeforeEach
  void adminToken() {
    ((JavascriptExecutor) browser)
        .executeScript(
            "localStorage.setItem('sensors.dashboard.token', arguments[0]);"
                + " localStorage.removeItem('sensors.dashboard.slowPollSeconds')",
            TestNodes.ADMIN_TOKEN);
  }

  @AfterAll
  void stop() {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      if (node != null) {
        node.stop();
      }
    }
  }

  @Test
  void theFleetListShowsTheSensorsTheTestRegistered() throws IOException {
    List<String> ids = List.of("dash-fleet-1", "dash-fleet-2", "dash-fleet-3");
    for (String id : ids) {
      register(id, "humidity", "{\"max\":80}");
      reading(id, null, 40);
    }
    browser.get(base + "#/fleet");
    WebElement type = until(ExpectedConditions.visibilityOfElementLocated(By.id("filter-type")));
    type.sendKeys("humidity", Keys.TAB);
    for (String id : ids) {
      until(
          ExpectedConditions.presenceOfElementLocated(
              By.cssSelector("#sensor-rows tr[data-sensor='" + id + "']")));
    }
    until(d -> d.findElements(By.cssSelector("#sensor-rows tr[data-sensor]")).size() == ids.size());
    until(
        d ->
            Long.parseLong(
                    d.findElement(By.cssSelector("#stat-sensors .value"))
                        .getText()
                        .replace(",", ""))
                >= ids.size());
    screenshot("fleet");

    pollOnlyEveryTenMinutes();
    awaitLive();
    reading(ids.get(1), null, 41.5);
    new WebDriverWait(browser, Duration.ofSeconds(5), Duration.ofMillis(50))
        .ignoring(StaleElementReferenceException.class)
        .until(
            d ->
                d.findElement(By.cssSelector("#sensor-rows tr[data-sensor='" + ids.get(1) + "']"))
                    .getText()
                    .contains("41.5"));
  }

  @Test
  void aSilentSensorIsCountedAndMarkedOnTheFleetPage() {
    ApiClient.Reply r =
        api.put("/sensors/dash-quiet", "{\"type\":\"quiet\",\"expectedInterval\":\"PT1S\"}");
    assertTrue(r.status() == 201 || r.status() == 200, () -> "PUT dash-quiet: " + r.raw().body());
    reading("dash-quiet", null, 1);
    api.awaitGet("/sensors/dash-quiet", g -> g.body().path("silent").asBoolean(), WAIT);
    browser.get(base + "#/fleet");
    WebElement type = until(ExpectedConditions.visibilityOfElementLocated(By.id("filter-type")));
    type.sendKeys("quiet", Keys.TAB);
    until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#sensor-rows tr[data-sensor='dash-quiet'] [data-silent]")));
    until(
        d ->
            Long.parseLong(
                    d.findElement(By.cssSelector("#stat-silent .value")).getText().replace(",", ""))
                >= 1);
  }

  @Test
  void theChartDrawsThePointsTheApiReturnsAndAPostedReadingAppearsWithinTwoSeconds() {
    String id = "dash-chart";
    register(id, "temperature", "{\"min\":5,\"max\":30}");
    Instant start = Instant.now().minus(Duration.ofMinutes(30));
    for (int i = 0; i < 25; i++) {
      reading(id, start.plus(Duration.ofMinutes(i)), 20 + Math.sin(i / 3.0) * 4);
    }
    api.awaitGet("/sensors/" + id, r -> r.body().path("readingCount").asLong() == 25, WAIT);
    browser.get(base + "#/sensor/" + id);
    until(d -> plotted(d) == 25 && plotted(d) == answered(id, d));
    pollOnlyEveryTenMinutes();
    awaitLive();

    long posted = System.nanoTime();
    reading(id, null, 27.25);
    new WebDriverWait(browser, Duration.ofSeconds(2), Duration.ofMillis(50))
        .ignoring(StaleElementReferenceException.class)
        .until(
            d -> d.findElement(By.id("latest-value")).getAttribute("data-value").equals("27.25"));
    assertEquals("stream", browser.findElement(By.id("latest-value")).getAttribute("data-source"));
    System.out.printf(
        "DashboardBrowserTest: a posted reading appeared on the page after %d ms%n",
        (System.nanoTime() - posted) / 1_000_000);
    until(d -> plotted(d) == 26 && plotted(d) == answered(id, d));
  }

  @Test
  void aLongRangeIsDrawnAsBucketsWithMinMaxBandsAndZoomingInRequeriesRawReadings()
      throws IOException {
    String id = "dash-zoom";
    register(id, "temperature", "{\"min\":10,\"max\":30}");
    Instant start = Instant.now().minus(Duration.ofHours(10));
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 600; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"sensorId\":\"")
          .append(id)
          .append("\",\"timestamp\":\"")
          .append(start.plus(Duration.ofMinutes(i)))
          .append("\",\"value\":")
          .append(20 + 5 * Math.sin(i / 40.0) + (i % 7) * 0.5)
          .append('}');
    }
    ApiClient.Reply stored = api.postJson("/readings", batch.append(']').toString());
    assertTrue(stored.status() == 200 || stored.status() == 202, () -> stored.raw().body());
    browser.get(base + "#/sensor/" + id);
    until(ExpectedConditions.elementToBeClickable(By.id("range-day"))).click();
    until(d -> step(d).equals("1h") && plotted(d) > 0 && plotted(d) == answered(id, d));
    assertEquals("1", browser.findElement(By.id("chart")).getAttribute("data-bands"));
    screenshot("sensor-day");

    WebElement plot = browser.findElement(By.cssSelector("#chart .u-over"));
    int width = plot.getRect().getWidth();
    new Actions(browser)
        .moveToElement(plot, width / 5, 0)
        .clickAndHold()
        .moveByOffset(width * 9 / 40, 0)
        .release()
        .perform();
    until(d -> d.findElement(By.id("chart")).getAttribute("data-query").contains("to="));
    until(d -> step(d).equals("raw") && plotted(d) > 0 && plotted(d) == answered(id, d));
    assertTrue(browser.findElement(By.id("range-custom")).getAttribute("class").contains("active"));
  }

  @Test
  void everyPageFitsThePhoneScreenWidth() throws IOException {
    register("dash-phone", "temperature", "{\"max\":30}");
    reading("dash-phone", null, 21);
    Dimension desktop = browser.manage().window().getSize();
    browser.manage().window().setSize(new Dimension(390, 844));
    try {
      Map<String, String> drawn =
          Map.of(
              "fleet",
              "#sensor-rows tr[data-sensor]",
              "sensor/dash-phone",
              "#chart[data-points='1']",
              "operations",
              "#member-rows tr");
      for (String page : List.of("fleet", "sensor/dash-phone", "operations")) {
        browser.get(base + "#/" + page);
        until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(drawn.get(page))));
        long overflow =
            (Long)
                ((JavascriptExecutor) browser)
                    .executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertTrue(
            overflow <= 0, () -> page + " is " + overflow + " px wider than the phone's screen");
      }
      screenshot("operations-phone");
    } finally {
      browser.manage().window().setSize(desktop);
    }
  }

  @Test
  void anAlertAppearsOnTheSensorPage() throws IOException {
    String id = "dash-alert";
    register(id, "temperature", "{\"max\":30}");
    for (int i = 0; i < 10; i++) {
      reading(id, Instant.now().minus(Duration.ofMinutes(20 - i)), 22 + i % 3);
    }
    browser.get(base + "#/sensor/" + id);
    until(d -> plotted(d) == 10);
    pollOnlyEveryTenMinutes();
    awaitLive();
    assertTrue(browser.findElements(By.cssSelector("#alert-rows tr[data-alert]")).isEmpty());
    reading(id, null, 35.5);
    until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#alert-rows tr[data-alert='1'][data-state='open']")));
    screenshot("sensor");
  }

  @Test
  void aReaderTokenIsToldWhyOperationsAreRefusedAndARebuildStartedWithTheAdminTokenCompletes()
      throws IOException {
    ApiClient.Reply reader =
        api.postJson("/admin/tokens", "{\"role\":\"reader\",\"label\":\"dashboard test\"}");
    assertEquals(201, reader.status(), () -> reader.raw().body());
    browser.get(base + "#/operations");
    useToken(reader.body().path("token").asText());
    until(d -> d.findElement(By.id("message")).getText().contains("(403)"));
    useToken(TestNodes.ADMIN_TOKEN);
    until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#member-rows tr")));
    until(
        d -> {
          try {
            d.findElement(By.cssSelector("button[data-rebuild-button='alerts']")).click();
            return true;
          } catch (StaleElementReferenceException redrawn) {
            return false;
          }
        });
    until(ExpectedConditions.alertIsPresent()).accept();
    WebElement done =
        new WebDriverWait(browser, Duration.ofSeconds(120), Duration.ofMillis(200))
            .ignoring(StaleElementReferenceException.class)
            .until(
                ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(
                        "#projection-rows tr[data-model='alerts'][data-rebuild='done']")));
    int generation = Integer.parseInt(done.getAttribute("data-generation"));
    JsonNode live = api.get("/admin/projections").body().path("projections");
    live.forEach(
        p -> {
          if (p.path("name").asText().equals("alerts")) {
            assertEquals(generation, p.path("generation").asInt(), live::toString);
            assertEquals("running", p.path("state").asText(), live::toString);
          }
        });
    screenshot("operations");
  }

  // ---- the API side ---------------------------------------------------------------------------

  private void register(String id, String type, String thresholds) {
    String unit = type.equals("humidity") ? "%" : "°C";
    ApiClient.Reply r =
        api.put(
            "/sensors/" + id,
            "{\"name\":\""
                + id
                + "\",\"type\":\""
                + type
                + "\",\"unit\":\""
                + unit
                + "\",\"labels\":{\"site\":\"dash\"},\"thresholds\":"
                + thresholds
                + "}");
    assertTrue(r.status() == 201 || r.status() == 200, () -> "PUT " + id + ": " + r.raw().body());
  }

  private void reading(String id, Instant at, double value) {
    String body =
        at == null
            ? "{\"value\":" + value + "}"
            : "{\"timestamp\":\"" + at + "\",\"value\":" + value + "}";
    ApiClient.Reply r = api.postJson("/sensors/" + id + "/readings", body);
    assertEquals(202, r.status(), () -> "reading of " + id + ": " + r.raw().body());
  }

  /** How many points (or buckets) the API answers to the query the chart made. */
  private long answered(String id, WebDriver d) {
    String query = d.findElement(By.id("chart")).getAttribute("data-query");
    JsonNode series = api.get("/sensors/" + id + "/readings" + query).body();
    return series.path(series.path("step").asText().equals("raw") ? "points" : "buckets").size();
  }

  private static String step(WebDriver d) {
    String step = d.findElement(By.id("chart")).getAttribute("data-step");
    return step == null ? "" : step;
  }

  private static long plotted(WebDriver d) {
    String points = d.findElement(By.id("chart")).getAttribute("data-points");
    return points == null || points.isEmpty() ? -1 : Long.parseLong(points);
  }

  /**
   * The first write after start may take long on a loaded machine: retry it, then wait for the read
   * models.
   */
  private void warmUp() {
    api.awaitGet(
        "/sensors/warm-up",
        r -> api.postJson("/sensors/warm-up/readings", "{\"value\":0}").status() == 202,
        Duration.ofSeconds(60));
    api.awaitGet(
        "/admin/projections",
        r ->
            r.status() == 200
                && r.body().path("projections").size() > 0
                && allRunning(r.body().path("projections")),
        Duration.ofSeconds(60));
  }

  private static boolean allRunning(JsonNode projections) {
    for (JsonNode p : projections) {
      if (!p.path("state").asText().equals("running")) {
        return false;
      }
    }
    return true;
  }

  // ---- the browser side -----------------------------------------------------------------------

  private <T> T until(java.util.function.Function<? super WebDriver, T> condition) {
    return new WebDriverWait(browser, WAIT, Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  /**
   * From now on the Fleet and Sensor pages poll every 10 minutes: what moves them sooner came by
   * their stream (set once the page shows what the test wrote before: a read model may lag behind
   * the writes).
   */
  private void pollOnlyEveryTenMinutes() {
    ((JavascriptExecutor) browser)
        .executeScript("localStorage.setItem('sensors.dashboard.slowPollSeconds', '600')");
  }

  /** Waits until the open page's stream delivered its {@code ready} event. */
  private void awaitLive() {
    until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#live[data-live='connected']")));
  }

  /** Opens the token form with the header's button and enters {@code token}. */
  private void useToken(String token) {
    browser.findElement(By.id("change-token")).click();
    until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
    enterToken(token);
  }

  private void enterToken(String token) {
    browser.findElement(By.id("token-input")).sendKeys(token);
    browser.findElement(By.id("token-save")).click();
    until(ExpectedConditions.invisibilityOfElementLocated(By.id("token-form")));
  }

  private void screenshot(String page) throws IOException {
    byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(page + ".png"), png);
  }

  private static WebDriver chromium() {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profileDir.toAbsolutePath(),
        "--window-size=1100,1250");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static void requireBrowser() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String missing =
        CHROMIUM
            + " and "
            + CHROMEDRIVER
            + " are needed (Debian: apt-get install chromium chromium-driver)";
    if ("true".equals(System.getenv("CI"))) {
      fail("DashboardBrowserTest: " + missing);
    }
    System.out.println("*".repeat(100));
    System.out.println("* SKIPPED DashboardBrowserTest: " + missing);
    System.out.println("*".repeat(100));
    Assumptions.abort(missing);
  }
}
