package io.inmemory.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.inmemory.NotFoundException;
import io.inmemory.Scope;
import io.inmemory.UpdateRequest;
import io.inmemory.wire.JsonBody;
import io.inmemory.wire.MemoryJson;
import io.inmemory.wire.RequestJson;
import io.inmemory.wire.ResultJson;
import io.inmemory.wire.Schemas;
import io.inmemory.MemoryClients;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * InMemory's memory as MCP tools: each reads its arguments as the REST API reads the matching
 * request body (same members, same validation, same messages) and answers the REST answer's JSON.
 * Every error is a tool error with its message ({@link ToolCall}), never a thrown one.
 * Immutable and thread-safe; the {@link MemoryClient} is the caller's, never closed here.
 */
public final class MemoryTools {
  /** What the server tells the host about its tools, for the model's system prompt. */
  static final String INSTRUCTIONS = "Long-term memory of the user across conversations. Search"
      + " it (search_memories) before answering anything that may depend on what the user told"
      + " before; store durable facts the user tells (add_memory, add_conversation).";

  /** The scope members; none required (an agent's own memories have no user). */
  private static final Map<String, Object> SCOPE = Schemas.object(List.of(),
      MemoryJson.USER_ID, MemoryJson.AGENT_ID, MemoryJson.SESSION_ID);
  /** The members naming one memory: its id and the scope it must belong to. */
  private static final Map<String, Object> ADDRESS = Schemas.object(
      List.of(ResultJson.MEMORY_ID), ResultJson.MEMORY_ID, MemoryJson.USER_ID,
      MemoryJson.AGENT_ID, MemoryJson.SESSION_ID);

  private final Callers callers;
  private final Limits limits;
  private final ToolCall call;
  private final ToolSchemas schemas;

  /**
   * Tools over {@code client}, for every caller.
   *
   * @param limits the request limits the arguments are read with (as the REST server's)
   * @param json the mapper that turns arguments into JSON and answers into text
   * @param settings the pinned user or agent, if any
   */
  public MemoryTools(MemoryClient client, Limits limits, ObjectMapper json,
      McpSettings settings) {
    this((exchange, body) -> body.apply(client), limits, json, settings);
  }

  /** Tools whose calls each run on the client {@code callers} gives the call's caller. */
  MemoryTools(Callers callers, Limits limits, ObjectMapper json, McpSettings settings) {
    this.callers = callers;
    this.limits = limits;
    this.call = new ToolCall(json, settings);
    this.schemas = new ToolSchemas(settings);
  }

  /**
   * Runs a tool's body on the client of the call's caller: one client for every caller, or one
   * per caller's API key (managed runtime over HTTP). Thread-safe.
   */
  @FunctionalInterface
  interface Callers {
    /**
     * Applies {@code body} to the caller's client and answers its result.
     *
     * @param exchange the call's exchange, whose transport context names the caller
     */
    Map<String, Object> call(McpSyncServerExchange exchange,
        Function<MemoryClient, Map<String, Object>> body);
  }

  /**
   * Builds the MCP server of {@code spec} (a transport's specification) with these tools and the
   * settings every transport shares.
   */
  McpSyncServer serve(McpServer.SyncSpecification<?> spec, McpJsonMapper mapper) {
    return spec.serverInfo("inmemory", MemoryClients.version())
        .instructions(INSTRUCTIONS)
        .jsonMapper(mapper)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        // one validator, the REST one: every problem with the API's field names
        .validateToolInputs(false)
        .tools(specifications())
        .build();
  }

  /** The tools' specifications, for {@code McpServer.sync(...).tools(...)}. */
  public List<SyncToolSpecification> specifications() {
    ToolAnnotations write = new ToolAnnotations(null, false, false, false, false, null);
    ToolAnnotations read = new ToolAnnotations(null, true, false, true, false, null);
    return List.of(
        tool("add_memory", "Add a memory", schemas.input("add_memory", "AddMemoryRequest"),
            write, (client, body) -> ResultJson.addResult(client.add(RequestJson.add(body)))),
        tool("add_conversation", "Add a conversation",
            schemas.input("add_conversation", "AddConversationRequest"), write,
            (client, body) -> ResultJson.conversationResult(client.add(
                RequestJson.conversation(body, limits)))),
        tool("search_memories", "Search memories",
            schemas.input("search_memories", "SearchRequest"), read,
            (client, body) -> ResultJson.searchResult(client.search(RequestJson.search(body, limits)))),
        tool("list_memories", "List memories",
            schemas.input("list_memories", "ListMemoriesRequest"), read,
            (client, body) -> ResultJson.page(client.list(RequestJson.list(body, limits)))),
        tool("get_memory", "Get a memory", schemas.input("get_memory", ADDRESS, null), read,
            (client, body) -> {
              Address address = Address.read(body, true);
              Scope scope = address.scope(body);
              return MemoryJson.write(client.get(address.memoryId(), scope)
                  .orElseThrow(address::notFound));
            }),
        tool("update_memory", "Update a memory",
            schemas.input("update_memory", ADDRESS, "UpdateMemoryRequest"),
            new ToolAnnotations(null, false, false, true, false, null), (client, body) -> {
              Address address = Address.read(body, true);
              UpdateRequest change = RequestJson.update(body);
              return MemoryJson.write(client.update(address.memoryId(), address.scope(body),
                  change));
            }),
        tool("delete_memory", "Delete a memory", schemas.input("delete_memory", ADDRESS, null),
            new ToolAnnotations(null, false, true, true, false, null), (client, body) -> {
              Address address = Address.read(body, true);
              if (!client.delete(address.memoryId(), address.scope(body))) {
                throw address.notFound();
              }
              return ResultJson.deleted(true);
            }),
        tool("user_stats", "Memory statistics", schemas.input("user_stats", SCOPE, null), read,
            (client, body) -> ResultJson.userStats(client.stats(Address.read(body, false).scope(body)))));
  }

  /**
   * The id and scope members of a call, read before the rest of its arguments: a request
   * reader's build then counts them as known.
   */
  private record Address(@Nullable String memoryId, @Nullable String userId,
      @Nullable String agentId, @Nullable String sessionId) {

    static Address read(JsonBody body, boolean memory) {
      String memoryId = memory ? body.string(ResultJson.MEMORY_ID) : null;
      if (memory && memoryId == null) {
        body.invalid(ResultJson.MEMORY_ID.field(), "is required");
      }
      return new Address(memoryId, body.string(MemoryJson.USER_ID),
          body.string(MemoryJson.AGENT_ID), body.string(MemoryJson.SESSION_ID));
    }

    /** The scope, or every problem of the body (unknown members included). */
    Scope scope(JsonBody body) {
      return body.build(() -> new Scope(userId, agentId, sessionId));
    }

    NotFoundException notFound() {
      return new NotFoundException("memory " + memoryId + " does not exist in this scope");
    }
  }

  private SyncToolSpecification tool(String name, String title, Map<String, Object> input,
      ToolAnnotations annotations, BiFunction<MemoryClient, JsonBody, Map<String, Object>> body) {
    McpSchema.Tool tool = McpSchema.Tool.builder().name(name).title(title)
        .description(schemas.description(name)).inputSchema(input)
        .annotations(annotations).build();
    return SyncToolSpecification.builder().tool(tool)
        .callHandler((exchange, request) -> call.run(name, request.arguments(),
            json -> callers.call(exchange, client -> body.apply(client, json))))
        .build();
  }
}
