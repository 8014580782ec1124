package io.inmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every tool's input schema as a model reads it: self-contained and described throughout. */
class ToolSchemasTest {
  private final List<Tool> tools = new MemoryTools((MemoryClient) Proxy.newProxyInstance(
      MemoryClient.class.getClassLoader(), new Class<?>[] {MemoryClient.class},
      (proxy, method, args) -> {
        throw new AssertionError("no call is made to list the tools");
      }), Limits.defaults(), new ObjectMapper(), McpSettings.none()).specifications().stream()
      .map(SyncToolSpecification::tool).toList();

  @Test
  void everyArgumentOfEveryToolIsDescribed() {
    assertThat(tools).hasSize(8);
    for (Tool tool : tools) {
      assertThat(tool.description()).as(tool.name()).hasSizeGreaterThan(80);
      assertThat(tool.inputSchema().get("type")).isEqualTo("object");
      // unknown arguments are refused, so the schema must not let a model think otherwise
      assertThat(tool.inputSchema().get("additionalProperties")).as(tool.name()).isEqualTo(false);
      map(tool.inputSchema().get("properties")).forEach((member, schema) ->
          assertThat((String) map(schema).get("description")).as(tool.name() + "." + member)
              .isNotBlank());
    }
  }

  @Test
  void everyReferenceResolvesInsideTheToolsOwnSchema() {
    for (Tool tool : tools) {
      Map<String, Object> defs = tool.inputSchema().containsKey("$defs")
          ? map(tool.inputSchema().get("$defs")) : Map.of();
      Deque<Object> pending = new ArrayDeque<>(List.of(tool.inputSchema()));
      while (!pending.isEmpty()) {
        Object node = pending.pop();
        if (node instanceof Map<?, ?> object) {
          if (object.get("$ref") instanceof String ref) {
            assertThat(ref).as(tool.name()).startsWith("#/$defs/");
            assertThat(defs).as(tool.name()).containsKey(ref.substring("#/$defs/".length()));
          }
          pending.addAll(object.values());
        } else if (node instanceof List<?> list) {
          pending.addAll(list);
        }
      }
    }
    Tool conversation = tools.stream().filter(tool -> tool.name().equals("add_conversation"))
        .findFirst().orElseThrow();
    assertThat(map(conversation.inputSchema().get("$defs"))).containsOnlyKeys("Message");
  }

  @Test
  void idAndScopeComeFirstInTheToolsThatNameOneMemory() {
    Tool update = tools.stream().filter(tool -> tool.name().equals("update_memory"))
        .findFirst().orElseThrow();

    assertThat(map(update.inputSchema().get("properties")).keySet()).containsExactly(
        "memory_id", "user_id", "agent_id", "session_id", "memory_content", "tags",
        "people_mentioned", "topic_category", "metadata");
    assertThat(update.inputSchema().get("required")).isEqualTo(List.of("memory_id"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }
}
