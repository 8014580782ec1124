package io.inmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inmemory.mcp.user-id}: a server that is one user's memory, over the local engine. */
class PinnedScopeTest {
  @TempDir
  Path store;

  private MemoryClient engine;
  private List<SyncToolSpecification> tools;

  @BeforeEach
  void open() {
    InMemoryConfig config = InMemoryConfig.builder().set(InMemoryConfig.MODE, "local")
        .set(InMemoryConfig.STORE, "file").set(McpSettings.USER_ID, "pinned-alice").build()
        .withFallbacks(Map.of(McpMain.FILE_STORE_DIR, store.toString()));
    engine = MemoryClients.create(config);
    tools = new MemoryTools(engine, Limits.defaults(), new ObjectMapper(),
        McpSettings.from(config)).specifications();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void thePinnedUserIsNoArgumentAndEveryCallIsForThem() {
    for (SyncToolSpecification tool : tools) {
      assertThat(properties(tool)).as(tool.tool().name()).doesNotContainKey("user_id")
          .containsKey("agent_id");
    }

    assertThat(call("add_memory", Map.of("memory_content", "Alice plays the cello"))
        .isError()).isFalse();

    assertThat(engine.getAll("pinned-alice", 10, 0).items())
        .extracting(memory -> memory.content()).containsExactly("Alice plays the cello");
    assertThat(text(call("list_memories", Map.of()))).contains("Alice plays the cello");
  }

  @Test
  void aCallGivingThePinnedMemberIsRefusedAndWritesNothing() {
    CallToolResult result = call("add_memory", Map.of("memory_content", "Mallory's note",
        "user_id", "mallory"));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).contains(
        "\"field\":\"userId\"", "is fixed by this server (inmemory.mcp.user-id)");
    assertThat(engine.getAll("mallory", 10, 0).items()).isEmpty();
    assertThat(engine.getAll("pinned-alice", 10, 0).items()).isEmpty();
  }

  private CallToolResult call(String name, Map<String, Object> arguments) {
    SyncToolSpecification tool = tools.stream()
        .filter(spec -> spec.tool().name().equals(name)).findFirst().orElseThrow();
    return tool.callHandler().apply(null, new CallToolRequest(name, arguments));
  }

  private static String text(CallToolResult result) {
    return ((TextContent) result.content().get(0)).text();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(SyncToolSpecification tool) {
    return (Map<String, Object>) tool.tool().inputSchema().get("properties");
  }
}
