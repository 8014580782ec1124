package io.inmemory.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.inmemory.NotFoundException;
import io.inmemory.Scope;
import io.inmemory.wire.JsonBody;
import io.inmemory.wire.MemoryJson;
import io.inmemory.wire.RequestJson;
import io.inmemory.wire.ResultJson;
import io.inmemory.wire.Schemas;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * InMemory's memory as MCP tools: each reads its arguments as the REST API reads the matching
 * request body (same members, same validation, same messages) and answers the REST answer's JSON.
 * Every error is a tool error with its message ({@link ToolCall}), never a thrown one.
 * Immutable and thread-safe; the {@link MemoryClient} is the caller's, never closed here.
 */
public final class MemoryTools {
  private final MemoryClient client;
  private final Limits limits;
  private final ToolCall call;
  private final ToolSchemas schemas = new ToolSchemas();

  /**
   * Tools over {@code client}.
   *
   * @param limits the request limits the arguments are read with (as the REST server's)
   * @param json the mapper that turns arguments into JSON and answers into text
   */
  public MemoryTools(MemoryClient client, Limits limits, ObjectMapper json) {
    this.client = client;
    this.limits = limits;
    this.call = new ToolCall(json);
  }

  /** The tools' specifications, for {@code McpServer.sync(...).tools(...)}. */
  public List<SyncToolSpecification> specifications() {
    return List.of(
        tool("add_memory", "Add a memory", schemas.input("add_memory", "AddMemoryRequest"),
            new ToolAnnotations(null, false, false, false, false, null),
            body -> ResultJson.addResult(client.add(RequestJson.add(body)))),
        tool("search_memories", "Search memories",
            schemas.input("search_memories", "SearchRequest"),
            new ToolAnnotations(null, true, false, true, false, null),
            body -> ResultJson.searchResult(client.search(RequestJson.search(body, limits)))),
        tool("get_memory", "Get a memory", schemas.input("get_memory", Schemas.object(
                List.of(ResultJson.MEMORY_ID), ResultJson.MEMORY_ID, MemoryJson.USER_ID,
                MemoryJson.AGENT_ID, MemoryJson.SESSION_ID)),
            new ToolAnnotations(null, true, false, true, false, null),
            this::get));
  }

  private Map<String, Object> get(JsonBody body) {
    String memoryId = body.string(ResultJson.MEMORY_ID);
    String userId = body.string(MemoryJson.USER_ID);
    String agentId = body.string(MemoryJson.AGENT_ID);
    String sessionId = body.string(MemoryJson.SESSION_ID);
    if (memoryId == null) {
      body.invalid(ResultJson.MEMORY_ID.field(), "is required");
    }
    Scope scope = body.build(() -> new Scope(userId, agentId, sessionId));
    return MemoryJson.write(client.get(memoryId, scope).orElseThrow(() ->
        new NotFoundException("memory " + memoryId + " does not exist in this scope")));
  }

  private SyncToolSpecification tool(String name, String title, Map<String, Object> input,
      ToolAnnotations annotations, Function<JsonBody, Map<String, Object>> body) {
    McpSchema.Tool tool = McpSchema.Tool.builder().name(name).title(title)
        .description(schemas.description(name)).inputSchema(input)
        .annotations(annotations).build();
    return SyncToolSpecification.builder().tool(tool)
        .callHandler((exchange, request) -> call.run(name, request.arguments(), body))
        .build();
  }
}
