package io.inmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@code inmemory.mcp.*} keys, and what the runnable server does with a wrong one. */
class McpSettingsTest {
  private static final String KEY = "a-static-key-of-enough-characters-0123";

  @Test
  void theDefaultsAreStdioOnLoopbackPort8090() {
    McpSettings settings = from(Map.of());

    assertThat(settings).isEqualTo(McpSettings.none());
    assertThat(settings.transport()).isEqualTo(McpSettings.Transport.STDIO);
    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isEqualTo(8090);
    assertThat(settings.path()).isEqualTo("/mcp");
    assertThat(settings.allowedOrigins()).isEmpty();
    assertThat(settings.apiKey()).isNull();
    assertThat(settings.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void everyKeyIsRead() {
    McpSettings settings = from(Map.of("inmemory.mcp.transport", "HTTP",
        "inmemory.mcp.host", "0.0.0.0", "inmemory.mcp.port", "0",
        "inmemory.mcp.path", "/tools/mcp",
        "inmemory.mcp.allowed-origins", " https://app.example, http://localhost:* ,",
        "inmemory.mcp.api-key", " " + KEY + " ", "inmemory.mcp.drain-timeout-seconds", "5",
        "inmemory.mcp.user-id", "ada", "inmemory.mcp.agent-id", "planner"));

    assertThat(settings).isEqualTo(new McpSettings(McpSettings.Transport.HTTP, "0.0.0.0", 0,
        "/tools/mcp", List.of("https://app.example", "http://localhost:*"), KEY,
        Duration.ofSeconds(5), "ada", "planner"));
    assertThat(settings.toString()).doesNotContain(KEY).contains("apiKey=set");
  }

  @Test
  void everyInvalidValueIsReportedAtOnceByItsKey() {
    assertThatThrownBy(() -> from(Map.of("inmemory.mcp.transport", "sse",
        "inmemory.mcp.port", "70000", "inmemory.mcp.path", "mcp",
        "inmemory.mcp.allowed-origins", "evil.example", "inmemory.mcp.api-key", "short",
        "inmemory.mcp.drain-timeout-seconds", "-1")))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(e -> assertThat(((ConfigurationException) e).problems())
            .anySatisfy(p -> assertThat(p).startsWith("inmemory.mcp.transport")
                .contains("'sse' is not stdio or http"))
            .anySatisfy(p -> assertThat(p).startsWith("inmemory.mcp.port"))
            .anySatisfy(p -> assertThat(p).startsWith("inmemory.mcp.drain-timeout-seconds"))
            .anySatisfy(p -> assertThat(p).startsWith("inmemory.mcp.path: 'mcp'"))
            .anySatisfy(p -> assertThat(p).startsWith("inmemory.mcp.allowed-origins: 'evil"))
            .anySatisfy(p -> assertThat(p).isEqualTo(
                "inmemory.mcp.api-key: must be at least 32 characters")));
  }

  @Test
  void aKeyIsForTheHttpTransportOnly() {
    assertThatThrownBy(() -> from(Map.of("inmemory.mcp.api-key", KEY)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.mcp.api-key: only the http transport takes a key");
  }

  @Test
  void aManagedHttpServerTakesNoStaticKey() {
    McpSettings settings = from(Map.of("inmemory.mcp.transport", "http",
        "inmemory.mcp.api-key", KEY));

    assertThatThrownBy(() -> HttpServer.managed(key -> {
      throw new AssertionError("no client is made");
    }, io.inmemory.Limits.defaults(), McpToolsContract.JSON, settings))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("every HTTP caller sends its own InMemory API key");
  }

  /** The runnable server refuses before it opens a store or a port: status 2, one line. */
  @Test
  void theRunnableServerExitsWithStatus2NamingTheKeyToSet() throws Exception {
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dinmemory.mcp.transport=http", "-Dinmemory.mcp.host=0.0.0.0",
        "-Dinmemory.mcp.port=0", "-cp", System.getProperty("java.class.path"),
        McpMain.class.getName());
    builder.environment().keySet().removeIf(name -> name.startsWith("INMEM"));
    Process child = builder.start();
    child.getOutputStream().close();

    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as(err).isEqualTo(McpMain.CONFIGURATION_STATUS);
    assertThat(err).startsWith("inmemory-mcp: inmemory.mcp.host: '0.0.0.0' is not a loopback"
        + " address").contains("set inmemory.mcp.api-key");
    assertThat(child.getInputStream().readAllBytes()).isEmpty();
  }

  private static McpSettings from(Map<String, String> values) {
    InMemoryConfig.Builder config = InMemoryConfig.builder().isolated();
    values.forEach(config::set);
    return McpSettings.from(config.build());
  }
}
