package io.inmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar inmemory-mcp.jar}, the artifact hosts run, after {@code package} (failsafe):
 * what shading could lose — merged service files (runtimes, stores, embedders, the SDK's JSON
 * mapper and schema validator), the embedding model, Jetty — shows up as a failed start or call.
 */
class PackagedJarIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void overStdioTheJarListsItsToolsAndFindsAFactByMeaning() {
    List<String> stderr = new CopyOnWriteArrayList<>();
    StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(java())
        .args("-Dinmemory.store.file.dir=" + dir, "-jar", jar().toString())
        .env(withoutInMemoryKeys()).build(), new JacksonMcpJsonMapper(JSON));
    transport.setStdErrorHandler(stderr::add);
    McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(90))
        .build();
    try {
      client.initialize();
      assertThat(client.listTools().tools()).as("stderr: %s", stderr).hasSize(8);
      assertThat(call(client, "add_memory", Map.of("memory_content",
          "Paul is allergic to shellfish", "user_id", "paul-jar")).isError())
          .as("stderr: %s", stderr).isFalse();
      JsonNode found = json(call(client, "search_memories", Map.of("query",
          "which seafood must he avoid?", "user_id", "paul-jar", "limit", 1)));
      assertThat(found.path("hits").get(0).path("memory").path("memory_content").asText())
          .isEqualTo("Paul is allergic to shellfish");
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void overHttpTheJarListensAndServesItsTools() throws Exception {
    ProcessBuilder builder = new ProcessBuilder(java(), "-Dinmemory.store.file.dir=" + dir,
        "-Dinmemory.mcp.transport=http", "-Dinmemory.mcp.port=0", "-jar", jar().toString())
        .redirectError(dir.resolve("stderr").toFile());
    builder.environment().clear();
    builder.environment().putAll(withoutInMemoryKeys());
    Process child = builder.start();
    try {
      String line = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8)).readLine();
      assertThat(line).as("stderr: %s", Files.readString(dir.resolve("stderr")))
          .startsWith(McpMain.LISTENING);
      McpSyncClient client = McpHttp.client(
          URI.create(line.substring(McpMain.LISTENING.length())), null);
      try {
        client.initialize();
        assertThat(client.listTools().tools()).hasSize(8);
      } finally {
        client.closeGracefully();
      }
    } finally {
      child.destroy();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static Path jar() {
    String jar = System.getProperty("inmemory.mcp.jar");
    // failsafe (mvn verify) always sets it, after package; only a surefire run that names this
    // class in -Dtest reaches here without it, before the jar exists
    assumeTrue(jar != null, "run by failsafe in mvn verify, after package (mcp/pom.xml)");
    assertThat(Path.of(jar)).exists();
    return Path.of(jar);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The environment without the developer's InMemory settings, which would redirect the jar. */
  private static Map<String, String> withoutInMemoryKeys() {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.keySet().removeIf(name -> name.startsWith("INMEM"));
    return environment;
  }

  private static CallToolResult call(McpSyncClient client, String tool,
      Map<String, Object> arguments) {
    return client.callTool(new CallToolRequest(tool, arguments));
  }

  private static JsonNode json(CallToolResult result) {
    assertThat(result.isError()).as(((TextContent) result.content().get(0)).text()).isFalse();
    try {
      return JSON.readTree(((TextContent) result.content().get(0)).text());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
