package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.VolatileStoreProvider;
import io.inmemory.engine.spi.EventSettings;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.server.TestServer.Answer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromedriver},
 * paths given, so Selenium downloads nothing), against a real server on loopback: signing in,
 * users, memories paged, search with a time phrase, a memory's history, the stats chart,
 * revoking a key, and webhooks with their delivery logs (a {@link WebhookReceiver} on loopback),
 * each checked on the rendered page against what the API answers. After each
 * step axe-core finds no WCAG 2.1 A/AA violation and the browser logged no error (a CSP or
 * Trusted Types violation included). Skipped when no Chromium is installed, unless
 * {@code INMEMORY_TEST_BROWSER=required} (CI), which makes a missing browser a failure. With
 * {@code -Dinmemory.test.dashboard.screenshots=<dir>} it writes the README's screenshots there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "browserPresent", disabledReason = "no Chromium at /usr/bin/chromium +"
    + " /usr/bin/chromedriver (or -Dinmemory.test.chromium / -Dinmemory.test.chromedriver): run"
    + " .ci/install-browser as root (Debian packages chromium, chromium-driver); set"
    + " INMEMORY_TEST_BROWSER=required to fail instead of skipping")
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of(System.getProperty("inmemory.test.chromium",
      "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getProperty(
      "inmemory.test.chromedriver", "/usr/bin/chromedriver"));
  private static final String SCREENSHOTS = System.getProperty(
      "inmemory.test.dashboard.screenshots");
  private static final Path ARTIFACTS = Path.of("target", "dashboard-browser");
  /** Monday 2026-12-07 10:00 UTC: "last week" is Mon 2026-11-30 to Sun 2026-12-06. */
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  /** A memory that would run script if the page ever took a value for markup. */
  private static final String MARKUP = "<img src=x onerror=\"document.title='owned'\">"
      + "<script>document.title='owned'</script> Bob's <b>bold</b> note";
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern(
      "yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Pattern EXPECTED_REFUSAL = Pattern.compile("status of 40[014] ");
  // kept: a logger only referenced while configured may be collected with its level
  private static final Logger DEVTOOLS = Logger.getLogger("org.openqa.selenium.devtools");

  /** The server's webhook settings: loopback receivers allowed, polled often. */
  private static final Map<String, String> WEBHOOKS = Map.of(
      EventSettings.RECORD.name(), "true",
      WebhookSettings.ALLOWED_NETWORKS.name(), "127.0.0.0/8",
      WebhookSettings.POLL_MS.name(), "20");

  private TestServer server;
  private WebhookReceiver receiver;
  private WebDriver driver;
  private WebDriverWait wait;
  private String base;
  private String key;
  private String laptopKeyId;
  private String laptopKey;
  private String pizzaId;
  private String project;

  static boolean browserPresent() {
    return "required".equals(System.getenv("INMEMORY_TEST_BROWSER"))
        || (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER));
  }

  @BeforeAll
  void start() throws IOException {
    InMemoryConfig.Builder store = InMemoryConfig.builder().isolated();
    WEBHOOKS.forEach(store::set);
    // the clock is fixed, so a failed delivery is never due again: enough for a 410's disabling
    server = new TestServer(config -> WEBHOOKS.forEach(config::set),
        new VolatileStoreProvider().open(store.build()), new HashingEmbedder(),
        TestServer.MAX_MEMORY_SIZE, Clock.fixed(NOW, ZoneOffset.UTC));
    base = "http://127.0.0.1:" + server.server.port();
    Answer created = server.post("/v1/auth/generate-key", TestServer.ADMIN, Map.of(
        "project_name", "Acme Support", "name", "dashboard", "scopes", "read,write,keys"));
    key = created.json().get("key").asText();
    project = created.json().get("project_id").asText();
    Answer laptop = server.post("/v1/auth/generate-key", TestServer.ADMIN, Map.of(
        "project_id", project, "name", "ci-laptop", "scopes", "read"));
    laptopKey = laptop.json().get("key").asText();
    laptopKeyId = laptop.json().get("key_id").asText();
    seed();
    DEVTOOLS.setLevel(Level.SEVERE);
    Files.createDirectories(ARTIFACTS);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps",
        "--window-size=1280,800", "--force-device-scale-factor=1", "--hide-scrollbars",
        "--font-render-hinting=none", "--force-color-profile=srgb", "--lang=en-US",
        "--user-data-dir=" + Files.createTempDirectory("dashboard-chromium"));
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
        .withEnvironment(Map.of("TZ", "UTC"))
        .withLogFile(ARTIFACTS.resolve("chromedriver.log").toFile()).build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(10));
    // a view re-rendering between two looks at it is what a wait waits through
    wait.ignoring(StaleElementReferenceException.class);
  }

  /** alice: 25 notes an hour apart and a pizza evening last week, updated once; bob: 3. */
  private void seed() {
    for (int i = 0; i < 25; i++) {
      server.add(key, "alice", String.format(Locale.ROOT, "Alice note %02d", i), Map.of(
          "created_at", NOW.minus(Duration.ofHours(25 - i)).toString(),
          "tags", List.of(i % 3 == 0 ? "work" : i % 3 == 1 ? "family" : "travel")));
    }
    pizzaId = server.add(key, "alice", "Alice had pizza", Map.of(
        "created_at", "2026-12-04T19:00:00Z", "tags", List.of("food")));
    Map<String, Object> update = new LinkedHashMap<>();
    update.put("memory_content", "Alice had pizza with Bob on Friday");
    assertThat(server.send("PUT", "/v1/memories/" + pizzaId + "?user_id=alice", key, update)
        .status()).isEqualTo(200);
    for (int i = 0; i < 2; i++) {
      server.add(key, "bob", "Bob fact " + i, Map.of(
          "created_at", NOW.minus(Duration.ofDays(3 + i)).toString()));
    }
    server.add(key, "bob", MARKUP, Map.of("created_at", NOW.minus(Duration.ofDays(5)).toString(),
        "metadata", Map.of("note", MARKUP)));
    Map<String, Object> own = new LinkedHashMap<>();
    own.put("memory_content", "Escalate refunds over 100 EUR");
    own.put("agent_id", "support-bot");
    own.put("created_at", "2026-12-01T09:00:00Z");
    assertThat(server.post("/v1/memories", key, own).status()).isEqualTo(201);
    for (int i = 0; i < 2; i++) {
      assertThat(server.get("/v1/memories?user_id=bob", laptopKey).status()).isEqualTo(200);
    }
  }

  @AfterAll
  void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  // ------------------------------------------------------------------ steps

  @Test
  @Order(1)
  void aWrongKeyIsRefusedAndTheRightOneShowsTheProjectsUsers() {
    driver.get(base + "/dashboard");
    WebElement field = waitFor(By.id("key"));
    assertThat(driver.switchTo().activeElement()).isEqualTo(field);
    field.sendKeys("im_not-a-key", Keys.ENTER);
    WebElement error = driver.findElement(By.id("key-error"));
    wait.until(d -> !error.getText().isEmpty());
    String detail = server.get("/v1/users/current", "im_not-a-key").json().get("detail")
        .asText();
    assertThat(error.getText()).isEqualTo(detail);
    assertThat(field.getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(driver.switchTo().activeElement()).isEqualTo(error);

    // the bootstrap admin key reaches no memories: the page says what to do instead
    field.clear();
    field.sendKeys(TestServer.ADMIN, Keys.ENTER);
    wait.until(d -> error.getText().startsWith("This key has no project"));
    assertThat(script("return sessionStorage.length")).isEqualTo(0L);

    field.clear();
    field.sendKeys(key, Keys.ENTER);
    WebElement users = waitFor(By.id("users-table"));
    assertThat(driver.findElement(By.id("project")).getText()).isEqualTo("Project Acme Support");
    List<String> shown = rows(users).stream().map(row -> row.get(0) + "=" + row.get(1))
        .toList();
    List<String> listed = new ArrayList<>();
    server.get("/v1/users", key).json().get("users").forEach(user ->
        listed.add(user.get("user_id").asText() + "=" + user.get("memory_count").asInt()));
    assertThat(shown).isEqualTo(listed).containsExactly("alice=26", "bob=3");
    // no "Next" link on a single page, and nothing written in its place
    assertThat(driver.findElement(By.id("main")).getText()).doesNotContain("null");
    assertThat(rows(driver.findElement(By.id("agents-table"))).get(0))
        .startsWith("support-bot", "1");
    assertThat(script("return sessionStorage.getItem('inmemory.dashboard.key')")).isEqualTo(key);
    assertThat(driver.findElement(By.cssSelector("[data-tab=keys]")).isDisplayed()).isTrue();
    // the key has no webhooks scope: the tab stays hidden (and the page does not ask, or the
    // console would hold the 403)
    assertThat(driver.findElement(By.cssSelector("[data-tab=webhooks]")).isDisplayed())
        .isFalse();
  }

  @Test
  @Order(2)
  void memoriesComeNewestFirstTwentyAPage() {
    driver.findElement(By.linkText("alice")).click();
    WebElement table = waitFor(By.id("memories-table"));
    List<List<String>> page = rows(table);
    assertThat(page).hasSize(20);
    JsonNode newest = server.get("/v1/memories?user_id=alice&limit=1", key).json().get("items")
        .get(0);
    assertThat(page.get(0).get(1)).isEqualTo(newest.get("memory_content").asText())
        .isEqualTo("Alice note 24");
    assertThat(table.findElement(By.tagName("caption")).getText()).endsWith("1–20 of 26");
    screenshot("memories");

    driver.findElement(By.linkText("Next")).click();
    wait.until(d -> d.findElement(By.tagName("caption")).getText().endsWith("21–26 of 26"));
    List<List<String>> second = rows(driver.findElement(By.id("memories-table")));
    assertThat(second).hasSize(6);
    assertThat(second.get(5).get(1)).isEqualTo("Alice had pizza with Bob on Friday");
    assertThat(driver.findElements(By.linkText("Next"))).isEmpty();
    assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("21–26 of 26");
  }

  @Test
  @Order(3)
  void valuesAreShownAsTextNeverAsMarkup() {
    driver.get(base + "/dashboard#/users/bob");
    // only the hash changed: alice's table is there until bob's replaces it
    wait.until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector("#memories-table caption"), "Memories of bob"));
    WebElement table = driver.findElement(By.id("memories-table"));
    assertThat(rows(table).get(2).get(1)).isEqualTo(MARKUP);
    assertThat(table.findElements(By.cssSelector("img, script, b"))).isEmpty();
    table.findElement(By.partialLinkText("note")).click();
    assertThat(waitFor(By.id("memory-content")).getText()).isEqualTo(MARKUP);
    assertThat(driver.findElement(By.tagName("pre")).getText())
        .isEqualTo("{\n  \"note\": \"" + MARKUP.replace("\"", "\\\"") + "\"\n}");
    assertThat(driver.findElements(By.cssSelector("main img, main script, main b"))).isEmpty();
    assertThat(driver.getTitle()).isEqualTo("InMemory dashboard");

    // an agent's own memories, by the agents' table
    driver.findElement(By.cssSelector("[data-tab=users]")).click();
    waitFor(By.id("agents-table")).findElement(By.linkText("support-bot")).click();
    List<List<String>> own = rows(waitFor(By.id("memories-table")));
    assertThat(own).extracting(row -> row.get(1))
        .containsExactly("Escalate refunds over 100 EUR");
  }

  @Test
  @Order(4)
  void searchWithATimePhraseAndAFilterFindsThePizzaEvening() {
    driver.findElement(By.cssSelector("[data-tab=search]")).click();
    waitFor(By.id("search-form"));
    driver.findElement(By.id("user")).sendKeys("alice");
    driver.findElement(By.id("query")).sendKeys("pizza");
    driver.findElement(By.cssSelector("#search-form button[type=submit]")).click();
    // without a time phrase: no range, and nothing written in its place
    assertThat(rows(waitFor(By.id("results-table")))).isNotEmpty();
    assertThat(driver.findElements(By.id("time-range"))).isEmpty();
    assertThat(driver.findElement(By.id("results")).getText()).doesNotContain("null");

    driver.findElement(By.id("time")).sendKeys("last week");
    driver.findElement(By.id("zone")).clear();
    driver.findElement(By.id("zone")).sendKeys("UTC");
    driver.findElement(By.id("filters")).sendKeys("{\"tags\": {\"contains\": \"food\"}}");
    driver.findElement(By.cssSelector("#search-form button[type=submit]")).click();
    List<List<String>> hits = rows(waitFor(By.id("results-table")));
    assertThat(hits).hasSize(1);
    assertThat(hits.get(0).get(1)).isEqualTo("Alice had pizza with Bob on Friday");
    assertThat(driver.findElement(By.id("time-range")).getText())
        .isEqualTo("Created between 2026-11-30 00:00 UTC and 2026-12-07 00:00 UTC");
    screenshot("search");

    WebElement time = driver.findElement(By.id("time"));
    time.clear();
    time.sendKeys("since blursday", Keys.ENTER);
    wait.until(d -> "true".equals(time.getAttribute("aria-invalid")));
    Map<String, Object> body = Map.of("query", "pizza", "user_id", "alice", "temporal_query",
        "since blursday");
    JsonNode problem = server.post("/v1/memories/search", key, body).json();
    String expected = problem.get("violations").get(0).get("problem").asText();
    assertThat(driver.findElement(By.id("time-error")).getText()).isEqualTo(expected)
        .contains("since blursday");
    assertThat(driver.switchTo().activeElement()).isEqualTo(time);
  }

  @Test
  @Order(5)
  void aMemoryShowsItsValidityAndHistory() {
    driver.findElement(By.id("time")).clear();
    driver.findElement(By.id("time")).sendKeys("last week", Keys.ENTER);
    waitFor(By.id("results-table")).findElement(By.linkText("Alice had pizza with Bob on Friday"))
        .click();
    WebElement history = waitFor(By.id("history-table"));
    assertThat(driver.findElement(By.id("memory-content")).getText())
        .isEqualTo("Alice had pizza with Bob on Friday");
    assertThat(driver.findElement(By.id("validity")).getText())
        .isEqualTo("valid from 2026-12-04 19:00 UTC · current");
    List<List<String>> changes = rows(history);
    assertThat(changes).extracting(row -> row.get(1)).containsExactly("add", "update");
    assertThat(changes.get(1)).containsExactly("2026-12-07 10:00 UTC", "update",
        "Alice had pizza", "Alice had pizza with Bob on Friday");
    assertThat(driver.getCurrentUrl()).contains("#/memory/" + pizzaId);
    screenshot("history");
  }

  @Test
  @Order(6)
  void theStatsChartDrawsTheTagCounts() {
    driver.get(base + "/dashboard#/stats/users/alice");
    WebElement chart = waitFor(By.cssSelector("svg[data-chart=tags]"));
    JsonNode counts = server.get("/v1/users/alice/stats", key).json().get("tag_counts");
    Map<String, String> drawn = new LinkedHashMap<>();
    chart.findElements(By.cssSelector("rect.bar")).forEach(bar ->
        drawn.put(bar.getAttribute("data-name"), bar.getAttribute("data-count")));
    Map<String, String> expected = new LinkedHashMap<>();
    counts.fields().forEachRemaining(entry -> expected.put(entry.getKey(),
        entry.getValue().asText()));
    assertThat(drawn).isEqualTo(expected).containsEntry("food", "1").hasSize(4);
    // the longest bar is the largest count
    assertThat(chart.findElement(By.cssSelector("rect.bar")).getAttribute("data-count"))
        .isEqualTo("9");
    screenshot("stats");
  }

  @Test
  @Order(7)
  void revokingAKeyShowsItRevokedAndItStopsWorking() {
    driver.findElement(By.cssSelector("[data-tab=keys]")).click();
    WebElement table = waitFor(By.id("keys-table"));
    List<String> laptop = row(table, "ci-laptop");
    JsonNode listed = null;
    for (JsonNode each : server.get("/v1/auth/keys", key).json().get("keys")) {
      if (each.get("key_id").asText().equals(laptopKeyId)) {
        listed = each;
      }
    }
    assertThat(laptop.get(5)).isEqualTo(listed.get("usage_count").asText()).isEqualTo("2");
    assertThat(laptop.get(4)).isEqualTo("2026-12-07 10:00 UTC");
    screenshot("keys");

    table.findElement(By.cssSelector("button[data-key='" + laptopKeyId + "']")).click();
    WebElement dialog = waitFor(By.id("revoke-dialog"));
    assertThat(dialog.getText()).contains("Revoke ci-laptop?");
    driver.findElement(By.id("revoke-confirm")).click();
    wait.until(d -> row(d.findElement(By.id("keys-table")), "ci-laptop").get(7)
        .startsWith("revoked"));
    assertThat(server.get("/v1/memories?user_id=bob", laptopKey).status()).isEqualTo(401);
    assertThat(server.get("/v1/memories?user_id=bob", key).status()).isEqualTo(200);
  }

  @Test
  @Order(8)
  void signingOutForgetsTheKey() {
    driver.findElement(By.id("sign-out")).click();
    waitFor(By.id("sign-in"));
    assertThat(script("return sessionStorage.length")).isEqualTo(0L);
    driver.navigate().refresh();
    waitFor(By.id("sign-in"));
    assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
  }

  @Test
  @Order(9)
  void revokingTheKeySignedInWithSignsOut() {
    driver.findElement(By.id("key")).sendKeys(key, Keys.ENTER);
    waitFor(By.cssSelector("[data-tab=keys]")).click();
    waitFor(By.id("keys-table"));
    driver.findElement(By.cssSelector("button[data-key]")).click();
    assertThat(waitFor(By.id("revoke-dialog")).getText())
        .contains("This is the key you signed in with");
    driver.findElement(By.id("revoke-confirm")).click();
    waitFor(By.id("sign-in"));
    assertThat(script("return sessionStorage.length")).isEqualTo(0L);
    assertThat(server.get("/v1/users/current", key).status()).isEqualTo(401);
  }

  @Test
  @Order(10)
  void aKeyRevokedElsewhereSignsOutAtTheNextCall() {
    Answer created = server.post("/v1/auth/generate-key", TestServer.ADMIN, Map.of(
        "project_id", project, "name", "tablet", "scopes", "read"));
    String tablet = created.json().get("key").asText();
    driver.findElement(By.id("key")).sendKeys(tablet, Keys.ENTER);
    waitFor(By.id("users-table"));
    assertThat(server.send("DELETE", "/v1/auth/revoke-key?key_id="
        + created.json().get("key_id").asText(), tablet, null).status()).isEqualTo(200);
    driver.findElement(By.linkText("bob")).click();
    waitFor(By.id("sign-in"));
    assertThat(script("return sessionStorage.length")).isEqualTo(0L);
  }

  /** WCAG 1.4.10: at 320 CSS pixels nothing needs scrolling sideways but a wide table itself. */
  @Test
  @Order(11)
  void thePageReflowsAtThreeHundredTwentyPixels() {
    String phone = server.post("/v1/auth/generate-key", TestServer.ADMIN, Map.of(
        "project_id", project, "name", "phone", "scopes", "read,keys")).json().get("key").asText();
    Dimension wide = driver.manage().window().getSize();
    driver.manage().window().setSize(new Dimension(320, 800));
    try {
      driver.findElement(By.id("key")).sendKeys(phone, Keys.ENTER);
      for (String view : List.of("#/users/alice", "#/search", "#/keys", "#/stats/users/alice")) {
        driver.get(base + "/dashboard" + view);
        waitFor(By.cssSelector("main h2"));
        wait.until(d -> d.findElement(By.id("main")).getAttribute("aria-busy") == null);
        assertThat(script("return window.innerWidth")).isEqualTo(320L);
        assertThat(script("return document.documentElement.scrollWidth"))
            .as(view).isEqualTo(script("return document.documentElement.clientWidth"));
      }
    } finally {
      driver.manage().window().setSize(wide);
    }
  }

  /**
   * Two hooks to a receiver on loopback: one answered 410 to its test delivery, so disabled with
   * its queue kept, one that got every memory added. Both listed as the API lists them, and each
   * one's delivery log shown newest first, twenty a page.
   */
  @Test
  @Order(12)
  void webhooksAndTheirDeliveriesAreShownAsTheApiHasThem() {
    // one 410, answered to the first hook's test delivery before the second hook exists
    receiver = new WebhookReceiver().script(WebhookReceiver.Answer.of(410));
    String hooksKey = server.newKey(project, "read", "write", "webhooks");
    JsonNode gone = createHook(hooksKey, "/gone", "old CRM");
    String goneId = gone.get("id").asText();
    assertThat(server.post("/v1/webhooks/" + goneId + "/test", hooksKey, null).status())
        .isEqualTo(202);
    eventually("the 410 disables " + goneId, () -> !server.get("/v1/webhooks/" + goneId,
        hooksKey).json().get("enabled").asBoolean());
    String okId = createHook(hooksKey, "/ok", null).get("id").asText();
    for (int i = 0; i < 21; i++) {
      server.add(hooksKey, "carol", "Carol fact " + i, Map.of());
    }
    eventually("all 21 delivered to " + okId, () -> server.get("/v1/webhooks/" + okId
        + "/deliveries?state=delivered&limit=21", hooksKey).json().get("items").size() == 21);
    assertThat(receiver.received()).extracting(WebhookReceiver.Received::path)
        .containsOnlyOnce("/gone").hasSize(22);

    driver.findElement(By.id("sign-out")).click();
    waitFor(By.id("key")).sendKeys(hooksKey, Keys.ENTER);
    waitFor(By.cssSelector("[data-tab=webhooks]")).click();
    WebElement hooks = waitFor(By.id("webhooks-table"));
    List<List<String>> shown = rows(hooks);
    List<List<String>> listed = new ArrayList<>();
    for (JsonNode hook : server.get("/v1/webhooks", hooksKey).json().get("items")) {
      listed.add(List.of(hook.get("url").asText(), String.join(", ", strings(hook.get("events"))),
          hook.get("enabled").asBoolean() ? "enabled" : "disabled "
              + shownTime(hook.get("disabled_at")) + ": " + hook.get("disabled_reason").asText(),
          hook.get("consecutive_failures").asText(), hook.get("secret_hint").asText(),
          shownTime(hook.get("created_at"))));
    }
    String secret = gone.get("secret").asText();
    assertThat(shown).isEqualTo(listed);
    assertThat(row(hooks, receiver.url("/gone"))).containsExactly(receiver.url("/gone"),
        "memory.added",
        "disabled 2026-12-07 10:00 UTC: the receiver answered 410 Gone", "1",
        "whsec_…" + secret.substring(secret.length() - 4), "2026-12-07 10:00 UTC");
    assertThat(row(hooks, receiver.url("/ok"))).startsWith(receiver.url("/ok"), "memory.added",
        "enabled", "0");

    // the disabled hook: why, and its queue waiting for it to be enabled again
    driver.findElement(By.linkText(receiver.url("/gone"))).click();
    WebElement log = waitFor(By.id("deliveries-table"));
    assertThat(driver.findElement(By.tagName("dl")).getText()).contains("old CRM",
        "disabled 2026-12-07 10:00 UTC: the receiver answered 410 Gone");
    List<List<String>> newest = rows(log);
    assertThat(newest).hasSize(20).containsOnly(List.of("2026-12-07 10:00 UTC", "memory.added",
        "pending", "0", "", "", "", "when enabled"));
    driver.findElement(By.linkText("Older deliveries")).click();
    wait.until(d -> d.findElement(By.tagName("caption")).getText().contains("before sequence"));
    List<List<String>> oldest = rows(driver.findElement(By.id("deliveries-table")));
    JsonNode test = server.get("/v1/webhooks/" + goneId + "/deliveries", hooksKey).json()
        .get("items").get(21);
    assertThat(oldest).hasSize(2);
    assertThat(oldest.get(1)).containsExactly(shownTime(test.get("created_at")),
        test.get("type").asText(), test.get("state").asText(), test.get("attempts").asText(),
        shownTime(test.get("last_attempt_at")), test.get("last_status").asText(),
        test.get("last_error").asText(), "when enabled");
    assertThat(oldest.get(1)).startsWith("2026-12-07 10:00 UTC", "webhook.test", "pending", "1",
        "2026-12-07 10:00 UTC", "410", "HTTP 410");
    assertThat(driver.findElements(By.linkText("Older deliveries"))).isEmpty();
    screenshot("webhook");
    driver.findElement(By.linkText("Newest deliveries")).click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#deliveries-table caption"),
        "Deliveries, newest first"));

    // the enabled hook: each delivered at the first attempt
    driver.findElement(By.cssSelector("[data-tab=webhooks]")).click();
    waitFor(By.id("webhooks-table")).findElement(By.linkText(receiver.url("/ok"))).click();
    List<List<String>> delivered = rows(waitFor(By.id("deliveries-table")));
    assertThat(delivered).hasSize(20).containsOnly(List.of("2026-12-07 10:00 UTC",
        "memory.added", "delivered", "1", "2026-12-07 10:00 UTC", "200", "", ""));
    assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("20 deliveries");
  }

  /** A server with webhooks off has no webhook routes: the tab stays hidden for any key. */
  @Test
  @Order(13)
  void aServerWithoutWebhooksShowsNoWebhooksTab() {
    try (TestServer off = new TestServer(config -> config.set(
        WebhookSettings.ENABLED.name(), "false"))) {
      String hooksKey = off.newKey("elsewhere", "read", "webhooks");
      driver.get("http://127.0.0.1:" + off.server.port() + "/dashboard");
      driver.findElement(By.id("key")).sendKeys(hooksKey, Keys.ENTER);
      wait.until(ExpectedConditions.textToBe(By.cssSelector("main h2"), "Users"));
      assertThat(off.get("/v1/webhooks", hooksKey).status()).isEqualTo(404);
      assertThat(driver.findElement(By.cssSelector("[data-tab=webhooks]")).isDisplayed())
          .isFalse();
    }
  }

  /** Waits (briefly polling) until {@code condition} holds. */
  private void eventually(String what, BooleanSupplier condition) {
    new WebDriverWait(driver, Duration.ofSeconds(10), Duration.ofMillis(50)).withMessage(what)
        .until(d -> condition.getAsBoolean());
  }

  private JsonNode createHook(String hooksKey, String path, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", receiver.url(path));
    body.put("events", List.of("memory.added"));
    if (description != null) {
      body.put("description", description);
    }
    Answer created = server.post("/v1/webhooks", hooksKey, body);
    assertThat(created.status()).as(created.describe()).isEqualTo(201);
    return created.json();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(each -> out.add(each.asText()));
    return out;
  }

  /** An instant as the page shows it in the browser's zone (UTC here). */
  private static String shownTime(JsonNode iso) {
    return SHOWN.format(Instant.parse(iso.asText()));
  }

  // ------------------------------------------------------------------ checks after each step

  /** On a failed step: the page as a PNG and as HTML, beside chromedriver's log. */
  @RegisterExtension
  final TestWatcher artifacts = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      String name = context.getRequiredTestMethod().getName();
      try {
        Files.write(ARTIFACTS.resolve(name + ".png"),
            ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        Files.writeString(ARTIFACTS.resolve(name + ".html"), driver.getPageSource());
      } catch (IOException | RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
  };

  /** axe-core finds no WCAG 2.1 A/AA violation; the console holds no error. */
  @AfterEach
  void accessibleAndClean(TestInfo test) {
    String name = test.getTestMethod().orElseThrow().getName();
    // hash routes keep the document: axe stays loaded until the next page load
    if (!Boolean.TRUE.equals(script("return typeof axe !== 'undefined'"))) {
      script(axe());
    }
    Object violations = ((JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + " axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
            + ".then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' @ '"
            + " + v.nodes.map(n => n.target.join(' ')).join(', '))))"
            + ".catch(e => done(['axe failed: ' + e]));");
    assertThat((List<?>) violations).as("axe violations after " + name).isEmpty();
    List<String> errors = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      // the refused key, the refused time phrase and the probe of the webhook routes of a
      // server without them are expected answers
      if (entry.getLevel().intValue() >= Level.WARNING.intValue()
          && !EXPECTED_REFUSAL.matcher(entry.getMessage()).find()) {
        errors.add(entry.getMessage());
      }
    }
    assertThat(errors).as("browser console after " + name).isEmpty();
  }

  private String axeScript;

  private String axe() {
    if (axeScript == null) {
      try (InputStream in = getClass().getClassLoader().getResourceAsStream("axe.min.js")) {
        axeScript = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return axeScript;
  }

  // ------------------------------------------------------------------ helpers

  private WebElement waitFor(By locator) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  private Object script(String code) {
    return ((JavascriptExecutor) driver).executeScript(code);
  }

  /** The cells' text of a table's body rows, read by one script (a call a cell is slow). */
  private List<List<String>> rows(WebElement table) {
    List<?> rows = (List<?>) ((JavascriptExecutor) driver).executeScript("return Array.from("
        + "arguments[0].tBodies[0].rows, r => Array.from(r.cells, c => c.innerText.trim()))",
        table);
    return rows.stream().map(row -> ((List<?>) row).stream().map(String.class::cast).toList())
        .toList();
  }

  private List<String> row(WebElement table, String first) {
    return rows(table).stream().filter(cells -> cells.get(0).equals(first)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + first + " in " + rows(table)));
  }

  /** A PNG for the README, only when asked for. */
  private void screenshot(String name) {
    if (SCREENSHOTS == null) {
      return;
    }
    try {
      Path dir = Path.of(SCREENSHOTS);
      Files.createDirectories(dir);
      Files.write(dir.resolve("dashboard-" + name + ".png"),
          ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
