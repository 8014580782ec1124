package io.inmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tools as a host sees them through the SDK's own client, whatever the transport: every
 * tool called, answers read back, errors as tool errors. Each transport's test runs it against a
 * server over the local engine (ONNX embeddings, file store in a temporary directory).
 */
abstract class McpToolsContract {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The initialized client of the server under test. */
  abstract McpSyncClient client();

  /** What to show when a call fails unexpectedly, such as the server's standard error. */
  String diagnostics() {
    return "";
  }

  @Test
  void listsTheToolsWithADescribedSchemaEach() {
    List<Tool> tools = client().listTools().tools();

    assertThat(tools).extracting(Tool::name)
        .containsExactly("add_memory", "add_conversation", "search_memories", "list_memories",
            "get_memory", "update_memory", "delete_memory", "user_stats");
    for (Tool tool : tools) {
      assertThat(tool.description()).isNotBlank();
      Map<String, Object> properties = map(tool.inputSchema().get("properties"));
      assertThat(properties).as(tool.name()).isNotEmpty();
      properties.forEach((member, schema) -> assertThat(map(schema).get("description"))
          .as(tool.name() + "." + member).isInstanceOf(String.class));
    }
    Tool add = tools.get(0);
    assertThat(add.inputSchema().get("required")).isEqualTo(List.of("memory_content"));
    // the search's filter is a reference resolved inside the schema itself
    Tool search = tools.get(2);
    assertThat(map(map(search.inputSchema().get("properties")).get("filters")).get("$ref"))
        .isEqualTo("#/$defs/Filter");
    assertThat(map(search.inputSchema().get("$defs"))).containsKey("Filter");
  }

  @Test
  void aFactAddedIsFoundByMeaningAndReadBackById() throws Exception {
    JsonNode added = ok(call("add_memory", Map.of("memory_content",
        "Alice is allergic to peanuts", "user_id", "alice-stdio", "tags", List.of("health"))));
    ok(call("add_memory", Map.of("memory_content", "Alice's car is a red hatchback",
        "user_id", "alice-stdio")));
    String id = added.path("memory").path("id").asText();
    assertThat(added.path("memory").path("memory_content").asText())
        .isEqualTo("Alice is allergic to peanuts");

    JsonNode found = ok(call("search_memories", Map.of("query",
        "which foods must she avoid eating?", "user_id", "alice-stdio", "limit", 1)));
    assertThat(found.path("hits")).hasSize(1);
    assertThat(found.path("hits").get(0).path("memory").path("id").asText()).isEqualTo(id);

    JsonNode nobody = ok(call("search_memories", Map.of("query", "peanuts",
        "user_id", "bob-stdio")));
    assertThat(nobody.path("hits")).isEmpty();

    JsonNode read = ok(call("get_memory", Map.of("memory_id", id, "user_id", "alice-stdio")));
    assertThat(read.path("memory_content").asText()).isEqualTo("Alice is allergic to peanuts");
    assertThat(read.path("tags")).extracting(JsonNode::asText).containsExactly("health");
  }

  @Test
  void aMemoryIsListedCorrectedCountedAndForgotten() throws Exception {
    String id = ok(call("add_memory", Map.of("memory_content", "Dan lives in Lyon",
        "user_id", "dan-stdio", "tags", List.of("home")))).path("memory").path("id").asText();

    JsonNode page = ok(call("list_memories", Map.of("user_id", "dan-stdio")));
    assertThat(page.path("items")).extracting(item -> item.path("id").asText())
        .containsExactly(id);
    JsonNode changed = ok(call("update_memory", Map.of("memory_id", id, "user_id", "dan-stdio",
        "memory_content", "Dan lives in Grenoble")));
    assertThat(changed.path("memory_content").asText()).isEqualTo("Dan lives in Grenoble");
    JsonNode stats = ok(call("user_stats", Map.of("user_id", "dan-stdio")));
    assertThat(stats.path("memory_count").asInt()).isEqualTo(1);
    assertThat(stats.path("tag_counts").path("home").asInt()).isEqualTo(1);

    assertThat(ok(call("delete_memory", Map.of("memory_id", id, "user_id", "dan-stdio")))
        .path("deleted").asBoolean()).isTrue();
    CallToolResult again = call("delete_memory", Map.of("memory_id", id, "user_id",
        "dan-stdio"));
    assertThat(again.isError()).isTrue();
    assertThat(text(again)).startsWith("Not found: ");
    assertThat(ok(call("list_memories", Map.of("user_id", "dan-stdio"))).path("items"))
        .isEmpty();
  }

  @Test
  void aConversationIsStoredAndFoundByMeaning() throws Exception {
    JsonNode result = ok(call("add_conversation", Map.of("user_id", "erin-stdio",
        "messages", List.of(
            Map.of("role", "user", "content", "I just adopted a grey cat called Miso"),
            Map.of("role", "assistant", "content", "Congratulations on the new cat!")))));
    assertThat(result.path("events")).isNotEmpty();

    JsonNode found = ok(call("search_memories", Map.of("query", "does she have any pets?",
        "user_id", "erin-stdio", "limit", 1)));
    assertThat(found.path("hits").get(0).path("memory").path("memory_content").asText())
        .contains("Miso");
  }

  @Test
  void invalidArgumentsAreAToolErrorNamingEveryProblem() {
    CallToolResult result = call("add_memory", Map.of("user_id", "alice-stdio",
        "colour", "blue"));

    assertThat(result.isError()).isTrue();
    String text = text(result);
    assertThat(text).startsWith("Invalid request: ")
        .contains("\"field\":\"content\"", "\"field\":\"colour\"",
            "is not a known member of this request");
  }

  @Test
  void aMemoryOverTheSizeLimitIsAToolErrorAndNothingIsStored() throws Exception {
    CallToolResult result = call("add_memory", Map.of("memory_content",
        "x".repeat(1024 * 1024 + 1), "user_id", "big-" + getClass().getSimpleName()));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).startsWith("Content too large: ");
    assertThat(ok(call("list_memories", Map.of("user_id", "big-" + getClass().getSimpleName())))
        .path("items")).isEmpty();
  }

  @Test
  void aMissingMemoryIsAToolErrorAndTheSessionLivesOn() throws Exception {
    CallToolResult missing = call("get_memory", Map.of("memory_id", "no-such-memory",
        "user_id", "alice-stdio"));

    assertThat(missing.isError()).isTrue();
    assertThat(text(missing)).startsWith("Not found: ").contains("no-such-memory");
    assertThat(call("search_memories", Map.of("query", "anything", "user_id", "carol-stdio"))
        .isError()).isFalse();
  }

  @Test
  void anUnknownToolIsTheSdksProtocolError() {
    assertThatThrownBy(() -> call("delete_everything", Map.of()))
        .isInstanceOf(McpError.class).hasMessageContaining("Unknown tool");
  }

  CallToolResult call(String tool, Map<String, Object> arguments) {
    return client().callTool(new CallToolRequest(tool, arguments));
  }

  JsonNode ok(CallToolResult result) throws Exception {
    assertThat(result.isError()).as("%s (%s)", text(result), diagnostics()).isFalse();
    return JSON.readTree(text(result));
  }

  static String text(CallToolResult result) {
    assertThat(result.content()).hasSize(1);
    return ((TextContent) result.content().get(0)).text();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }
}
