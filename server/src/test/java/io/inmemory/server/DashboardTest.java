package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.server.TestServer.Answer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard as a server serves it, without a browser: the page and every file it loads, each
 * with its type and the security headers; nothing else under {@code /dashboard}; markup that
 * keeps to its Content-Security-Policy; and the {@code no-store} the API's answers carry.
 */
class DashboardTest {
  private static final Pattern REFERENCE = Pattern.compile(
      "(?:href|src)=\"/dashboard/([^\"]+)\"|from '\\./([^']+)'");

  @Test
  void thePageAndEveryFileItLoadsAreServedWithTheirTypeAndThePolicy() {
    try (TestServer server = new TestServer()) {
      Answer page = server.get("/dashboard", null);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
      assertSecurityHeaders(page);
      assertThat(page.header("Cache-Control")).isEqualTo("no-store");
      assertThat(server.get("/dashboard/", null).response().body())
          .isEqualTo(page.response().body());

      // the page's links, then the modules' imports, transitively
      Set<String> loaded = new LinkedHashSet<>(references(page.response().body()));
      Set<String> checked = new LinkedHashSet<>();
      while (!checked.containsAll(loaded)) {
        for (String name : Set.copyOf(loaded)) {
          if (checked.add(name)) {
            Answer asset = server.get("/dashboard/" + name, null);
            assertThat(asset.status()).as(name).isEqualTo(200);
            assertThat(asset.header("Content-Type")).as(name)
                .isEqualTo(Dashboard.ASSETS.get(name));
            assertSecurityHeaders(asset);
            assertThat(asset.header("Cache-Control")).isEqualTo("no-cache");
            loaded.addAll(references(asset.response().body()));
          }
        }
      }
      // nothing is served that the page does not use
      assertThat(checked).containsExactlyInAnyOrderElementsOf(Dashboard.ASSETS.keySet());

      Answer unknown = server.get("/dashboard/secrets.txt", null);
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.problemType()).isEqualTo("urn:inmemory:problem:not-found");
      assertThat(unknown.json().path("detail").asText())
          .isEqualTo("No dashboard asset secrets.txt");
      assertThat(server.get("/dashboard/index.html", null).status()).isEqualTo(404);
    }
  }

  private static void assertSecurityHeaders(Answer answer) {
    assertThat(answer.header("Content-Security-Policy")).isEqualTo("default-src 'none';"
        + " script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
        + " form-action 'none'; frame-ancestors 'none'; base-uri 'none';"
        + " require-trusted-types-for 'script'; trusted-types 'none'");
    assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(answer.header("Cross-Origin-Opener-Policy")).isEqualTo("same-origin");
    assertThat(answer.header("Cross-Origin-Resource-Policy")).isEqualTo("same-origin");
  }

  private static Set<String> references(String text) {
    Set<String> names = new LinkedHashSet<>();
    Matcher matcher = REFERENCE.matcher(text);
    while (matcher.find()) {
      names.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
    }
    return names;
  }

  /**
   * The policy forbids inline script, inline style and HTML strings; markup that used them would
   * break in a browser, or tempt a change of the policy.
   */
  @Test
  void theFilesKeepToThePolicy() throws IOException {
    String page = resource("index.html");
    assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(page).find()).isFalse();
    assertThat(Pattern.compile("\\son[a-z]+=|\\sstyle=|<style", Pattern.CASE_INSENSITIVE)
        .matcher(page).find()).isFalse();
    for (String name : Dashboard.ASSETS.keySet()) {
      if (name.endsWith(".js")) {
        assertThat(resource(name)).as(name)
            .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                "eval(", "new Function", "localStorage", ".style.");
        // no other origin: the SVG namespace is a name, never fetched
        assertThat(Pattern.compile("https?://(?!www\\.w3\\.org/2000/svg')")
            .matcher(resource(name)).find()).as(name).isFalse();
      }
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = StaticAssets.resource(Dashboard.ROOT + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theDashboardCanBeTurnedOff() {
    try (TestServer server = new TestServer(config ->
        config.set(ServerSettings.ENABLE_DASHBOARD.name(), "false"))) {
      Answer page = server.get("/dashboard", null);
      assertThat(page.status()).isEqualTo(404);
      assertThat(page.problemType()).isEqualTo("urn:inmemory:problem:no-route");
      assertThat(server.get("/dashboard/app.js", null).status()).isEqualTo(404);
      assertThat(server.get("/openapi.json", null).json().at("/paths").has("/dashboard"))
          .isFalse();
    }
  }

  /** The API's answers, memories and keys among them, are never kept by a browser or proxy. */
  @Test
  void apiAnswersAreNotStoredAndTheCurrentKeyNamesItsProject() {
    try (TestServer server = new TestServer()) {
      Answer created = server.post("/v1/auth/generate-key", TestServer.ADMIN,
          Map.of("project_name", "Acme Support", "scopes", "read,write"));
      String key = created.json().path("key").asText();
      assertThat(created.header("Cache-Control")).isEqualTo("no-store");
      server.add(key, "alice", "Alice likes tea", Map.of());

      Answer current = server.get("/v1/users/current", key);
      assertThat(current.json().path("project_name").asText()).isEqualTo("Acme Support");
      assertThat(current.json().path("project_id").asText())
          .isEqualTo(created.json().path("project_id").asText());
      assertThat(server.get("/v1/users/current", TestServer.ADMIN).json().get("project_name")
          .isNull()).isTrue();

      for (Answer answer : new Answer[] {current, server.get("/v1/memories?user_id=alice", key),
          server.get("/v1/memories?user_id=alice", "wrong-key"), server.get("/v1/ping", null)}) {
        assertThat(answer.header("Cache-Control")).as(answer.describe()).isEqualTo("no-store");
      }
      // the documentation's assets stay cacheable
      assertThat(server.get("/docs/swagger-ui.css", null).header("Cache-Control"))
          .isEqualTo("public, max-age=86400");
    }
  }
}
