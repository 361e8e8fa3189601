package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.dunwatch.deploy.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless Chromium and chromedriver, never a downloaded
 * one) against {@code dunwatch demo --serve} in this JVM: its own broker, registry, app, API and
 * console, with a simulated world produced while the browser watches. Each role signs in and sees
 * what it may; screenshots of each page go to {@code docs/console/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  static final Path SHOTS = Paths.get("..", "docs", "console");
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration ALERTS_WAIT = Duration.ofMinutes(4);

  @TempDir static Path tmp;
  static final Map<String, String> tokens = new LinkedHashMap<>();
  static final AtomicInteger exit = new AtomicInteger(-1);
  static Thread demo;
  static String base;
  static WebDriver browser;

  @BeforeAll
  static void startDemoAndBrowser() throws Exception {
    assertTrue(
        new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
        "Debian's chromium and chromium-driver are needed (.ci/run installs them)");
    tokens.put("TELECOM", "t".repeat(40));
    tokens.put("REGULATOR", "r".repeat(40));
    StringBuilder file = new StringBuilder("[");
    file.append(entry("TELECOM", null)).append(',').append(entry("REGULATOR", null));
    for (String lender : DemoCommand.DEMO_LENDERS) {
      tokens.put(lender, lender.replaceAll("[^a-z0-9]", "").repeat(8));
      file.append(',').append(entry(lender, lender));
    }
    Path tokensFile = Files.writeString(tmp.resolve("tokens.json"), file.append(']'));
    int port = FreePorts.pick();
    base = "http://127.0.0.1:" + port + "/";
    // the console comes up as the app starts; paced at 20 events/s, the 1-day world (about 1,100
    // events) lasts about a minute, so alerts keep arriving after the browser has signed in
    demo =
        new Thread(
            () ->
                exit.set(
                    Dunwatch.execute(
                        "demo",
                        "--serve",
                        "--subscribers",
                        "150",
                        "--days",
                        "1",
                        "--rate",
                        "20",
                        "--http-port",
                        String.valueOf(port),
                        "--api-tokens",
                        tokensFile.toString())),
            "console-it-demo");
    demo.start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (true) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          break;
        }
      } catch (java.io.IOException e) {
        // not up yet
      }
      assertTrue(System.nanoTime() < deadline, "the demo's console did not come up");
      assertTrue(demo.isAlive(), "demo ended early with exit " + exit.get());
      Thread.sleep(500);
    }
    Files.createDirectories(SHOTS);

    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")),
        "--window-size=1280,800",
        "--lang=en-GB");
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1280, 800));
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (demo != null && demo.isAlive()) {
      // what Ctrl-C does: the demo closes the streams, the API, the broker and the registry
      sun.misc.Signal.raise(new sun.misc.Signal("INT"));
      demo.join(Duration.ofMinutes(2).toMillis());
    }
  }

  @Test
  @Order(1)
  void regulatorSeesAlertsArriveLiveAndOpensAFanOutIncidentWithItsGraph() throws Exception {
    signIn("REGULATOR");
    waitFor(By.cssSelector("#alerts tbody"));
    Set<String> atSignIn = rowIds();
    waitUntil(ALERTS_WAIT, () -> !difference(rowIds(), atSignIn).isEmpty());
    assertTrue(
        browser.findElement(By.id("live")).getAttribute("data-state").equals("live"),
        "the stream is live");
    shot("alerts-regulator");

    // filters: one type at a time, every row of that type
    String type = column("r.cells[1].textContent").get(0);
    filterByType(type);
    assertEquals(Set.of(type), new HashSet<>(column("r.cells[1].textContent")));
    filterByType("");

    // a fan-out incident comes from the injected scenarios; its page draws the circle
    By fanOut = By.xpath("//table[@id='alerts']//a[text()='CONTACT_FAN_OUT']");
    waitUntil(ALERTS_WAIT, () -> !browser.findElements(fanOut).isEmpty());
    String fanOutId =
        column("r.cells[1].textContent === 'CONTACT_FAN_OUT' ? r.dataset.alertId : ''").stream()
            .filter(x -> !x.isEmpty())
            .findFirst()
            .orElseThrow();
    browser.get(base + "#/incident/" + fanOutId);
    waitFor(By.id("rule-id"));
    waitFor(By.id("circle-graph"));
    assertFalse(browser.findElements(By.cssSelector("#circle-graph g.node.undeclared")).isEmpty());
    assertFalse(browser.findElements(By.cssSelector("svg.timeline line.rev")).isEmpty());
    shot("incident-fan-out");
    ((JavascriptExecutor) browser)
        .executeScript("document.getElementById('h-graph').scrollIntoView()");
    shot("incident-fan-out-graph");

    browser.get(base + "#/lenders");
    waitFor(By.cssSelector("#ranking tbody tr"));
    shot("lenders-ranking-regulator");
  }

  @Test
  @Order(2)
  void telecomSeesTheBlocklistAndNoScorecards() throws Exception {
    signIn("TELECOM");
    assertFalse(
        browser.findElement(By.cssSelector("[data-view=blocklist]")).getAttribute("hidden")
            != null);
    assertTrue(
        browser.findElement(By.cssSelector("[data-view=lenders]")).getAttribute("hidden") != null);
    browser.get(base + "#/blocklist");
    waitUntil(
        ALERTS_WAIT,
        () -> {
          browser.navigate().refresh();
          return !browser.findElements(By.cssSelector("#blocklist tbody tr")).isEmpty();
        });
    shot("blocklist-telecom");
  }

  @Test
  @Order(3)
  void lenderSeesItsOwnScorecardAndIsRefusedAnothers() throws Exception {
    String lender = lenderWithScorecard();
    signIn(lender);
    browser.get(base + "#/lender/" + lender);
    waitFor(By.cssSelector("#chart-weekly canvas"));
    waitFor(By.cssSelector("#weeks tbody tr"));
    shot("lender-scorecard");

    String other =
        DemoCommand.DEMO_LENDERS.stream().filter(l -> !l.equals(lender)).findFirst().orElseThrow();
    browser.get(base + "#/lender/" + other);
    WebElement refused = waitFor(By.cssSelector(".error[data-status='403']"));
    assertTrue(refused.getText().contains("Not allowed"), refused.getText());
    shot("lender-refused-other");

    // Chinese labels, on a phone's width
    browser.manage().window().setSize(new Dimension(390, 844));
    new Select(browser.findElement(By.id("lang"))).selectByValue("zh");
    browser.get(base + "#/alerts");
    waitFor(By.cssSelector("#alerts tbody"));
    assertEquals("实时告警", browser.findElement(By.cssSelector("[data-view=alerts]")).getText());
    shot("alerts-lender-phone-zh");
    new Select(browser.findElement(By.id("lang"))).selectByValue("en");
    browser.manage().window().setSize(new Dimension(1280, 800));
  }

  // ---- helpers

  private static String lenderWithScorecard() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String[] found = new String[1];
    waitUntil(
        ALERTS_WAIT,
        () -> {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + "api/v1/scorecards"))
                      .header("Authorization", "Bearer " + tokens.get("REGULATOR"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          for (JsonNode l : JSON.readTree(r.body()).path("lenders")) {
            if (DemoCommand.DEMO_LENDERS.contains(l.asText())) {
              found[0] = l.asText();
              return true;
            }
          }
          return false;
        });
    return found[0];
  }

  private static void signIn(String who) throws Exception {
    browser.get(base);
    if (!browser.findElements(By.id("signout")).isEmpty()
        && browser.findElement(By.id("signout")).isDisplayed()) {
      browser.findElement(By.id("signout")).click();
    }
    WebElement input = waitFor(By.id("token"));
    input.sendKeys(tokens.get(who));
    if ("REGULATOR".equals(who)) {
      shot("sign-in");
    }
    input.submit();
    waitFor(By.cssSelector("#who"));
    waitUntil(Duration.ofSeconds(20), () -> !browser.findElement(By.id("who")).getText().isEmpty());
  }

  /** As a person picks it; by script, since the options are redrawn as new types arrive. */
  private static void filterByType(String type) {
    ((JavascriptExecutor) browser)
        .executeScript(
            "const s = document.getElementById('f-type'); s.value = arguments[0];"
                + " s.dispatchEvent(new Event('change'));",
            type);
  }

  /** Id and revision of each row, read in one go: the table is redrawn as alerts arrive. */
  private static Set<String> rowIds() {
    return new HashSet<>(column("r.dataset.alertId + '#' + r.cells[6].textContent"));
  }

  @SuppressWarnings("unchecked")
  private static List<String> column(String expression) {
    return (List<String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "return [...document.querySelectorAll('#alerts tbody tr[data-alert-id]')]"
                    + ".map(r => "
                    + expression
                    + ")");
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> d = new HashSet<>(a);
    d.removeAll(b);
    return d;
  }

  private static WebElement waitFor(By by) {
    return new WebDriverWait(browser, Duration.ofSeconds(60))
        .until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  interface Check {
    boolean ok() throws Exception;
  }

  private static void waitUntil(Duration max, Check check) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (!check.ok()) {
      assertTrue(System.nanoTime() < deadline, "waited " + max + " in vain");
      assertTrue(demo.isAlive(), "demo ended early with exit " + exit.get());
      Thread.sleep(1000);
    }
  }

  private static void shot(String name) {
    try {
      Files.write(
          SHOTS.resolve(name + ".png"),
          ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String entry(String key, String lender) {
    String role = lender == null ? key : "LENDER";
    return "{\"token\":\""
        + tokens.get(key)
        + "\",\"role\":\""
        + role
        + "\""
        + (lender == null ? "" : ",\"lender_id\":\"" + lender + "\"")
        + "}";
  }
}
