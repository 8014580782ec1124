package io.inmemory.server;

import io.inmemory.AddRequest;
import io.inmemory.ConversationRequest;
import io.inmemory.Health;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryClients;
import io.inmemory.UpdateRequest;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.server.Route.Access;
import io.inmemory.server.Route.Param;
import io.inmemory.wire.JsonBody;
import io.inmemory.wire.MemoryJson;
import io.inmemory.wire.RequestJson;
import io.inmemory.wire.ResultJson;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route table of the REST API and its handlers: the single declaration both the router and
 * the OpenAPI document are built from. Every memory operation runs in the caller's project's
 * namespace ({@link Memory#namespace}), so no id a caller sends reaches another project's data.
 */
final class Api {
  private static final String SEARCH_RESULT = "SearchResult";

  private static final Logger LOG = LoggerFactory.getLogger(Api.class);

  private final Memory memory;
  private final ApiKeys keys;
  private final @Nullable Docs docs;
  private final @Nullable Dashboard dashboard;
  private final Admission admission;
  private final @Nullable ServerMetrics metrics;
  private final @Nullable ServerWebhooks webhooks;
  private final BulkRoutes bulk;
  private final List<Route> routes;
  private volatile @Nullable Reply openApi;

  /**
   * @param docs the documentation pages, or {@code null} when they are turned off
   * @param dashboard the dashboard, or {@code null} when it is turned off
   * @param admission runs the routes that embed or rank as costly work
   * @param metrics what {@code GET /metrics} serves, or {@code null} when metrics are off
   * @param webhooks the webhooks, or {@code null} when they are off
   * @param clock the server's clock (export headers' times)
   */
  Api(Memory memory, ApiKeys keys, @Nullable Docs docs, @Nullable Dashboard dashboard,
      Admission admission, @Nullable ServerMetrics metrics, @Nullable ServerWebhooks webhooks,
      Clock clock) {
    this.memory = memory;
    this.keys = keys;
    this.docs = docs;
    this.dashboard = dashboard;
    this.admission = admission;
    this.metrics = metrics;
    this.webhooks = webhooks;
    this.bulk = new BulkRoutes(memory, admission,
        webhooks != null ? webhooks.imports() : ImportListener.NONE, clock);
    this.routes = List.copyOf(declare());
  }

  List<Route> routes() {
    return routes;
  }

  private List<Route> declare() {
    List<Route> table = new ArrayList<>(List.of(
        new Route("POST", "/v1/auth/generate-key", "generateKey",
            "Creates an API key (shown once); an admin key can create projects.", "auth",
            Access.KEYS, List.of(), "GenerateKeyRequest", 201, "GeneratedKey",
            this::generateKey),
        new Route("GET", "/v1/auth/keys", "listKeys",
            "Lists the keys of the caller's project (admin: any project).", "auth", Access.KEYS,
            List.of(new Param("project_id", "string", false,
                "The project (admin keys only); default the caller's.")),
            null, 200, "KeyList", this::listKeys),
        new Route("DELETE", "/v1/auth/revoke-key", "revokeKey",
            "Revokes a key, effective on the next request; a key may revoke itself.", "auth",
            Access.AUTHENTICATED,
            List.of(new Param("key_id", "string", true, "The id of the key to revoke.")),
            null, 200, "ApiKey", this::revokeKey),
        new Route("POST", "/v1/memories", "addMemory",
            "Stores a memory (memory_content), or memorizes a conversation (messages): exactly"
                + " one of the two.", "memories", Access.WRITE, List.of(),
            OpenApi.CONVERSATION_BODY, 201, "AddMemoryOrConversationResult", this::add,
            true),
        new Route("POST", "/v1/memories/batch", "addMemories",
            "Stores several memories; one invalid request rejects them all.", "memories",
            Access.WRITE, List.of(), "AddMemoriesRequest", 201, "AddResults",
            costly(this::addAll), true),
        new Route("POST", "/v1/memories/search", "searchMemories",
            "Searches a user's or an agent's memories by meaning, with filters.", "memories",
            Access.READ, List.of(), "SearchRequest", 200, SEARCH_RESULT, costly(this::search)),
        new Route("GET", "/v1/memories", "listMemories",
            "One page of a user's or an agent's memories, newest first.", "memories",
            Access.READ, scoped(ScopedCalls.INCLUDE_SUPERSEDED, ScopedCalls.LIMIT,
                ScopedCalls.OFFSET),
            null, 200, "MemoryPage", this::list),
        new Route("POST", "/v1/memories/list", "listMemoriesFiltered",
            "One page of a scope's memories matching a filter, newest first (a filter does not"
                + " fit a query string).", "memories", Access.READ, List.of(),
            "ListMemoriesRequest", 200, "MemoryPage", costly(this::listFiltered)),
        new Route("DELETE", "/v1/memories", "deleteAllMemories",
            "Deletes every memory of a scope: a user's, an agent's own, or a session's"
                + " (superseded ones included; history kept).", "memories", Access.WRITE,
            ScopedCalls.SCOPE, null, 200, "DeletedCount", this::deleteAll),
        new Route("GET", "/v1/memories/{memory_id}", "getMemory",
            "A memory by id, within the scope.", "memories", Access.READ, ScopedCalls.SCOPE,
            null, 200, "Memory", this::get),
        new Route("PUT", "/v1/memories/{memory_id}", "updateMemory",
            "Changes a memory within the scope; absent members stay unchanged.", "memories",
            Access.WRITE, ScopedCalls.SCOPE, "UpdateMemoryRequest", 200, "Memory",
            costly(this::update)),
        new Route("DELETE", "/v1/memories/{memory_id}", "deleteMemory",
            "Deletes a memory within the scope; says whether it existed. Its history is kept.",
            "memories", Access.WRITE, ScopedCalls.SCOPE, null, 200, "Deleted", this::delete),
        new Route("GET", "/v1/memories/{memory_id}/history", "memoryHistory",
            "Every change of a memory within the scope, oldest first.", "memories",
            Access.READ, ScopedCalls.SCOPE, null, 200, "History", this::history),
        new Route("POST", "/v1/memories/temporal-search", "temporalSearch",
            "Memories created within a time phrase such as 'last week'.", "search", Access.READ,
            List.of(), "TemporalSearchRequest", 200, SEARCH_RESULT,
            costly(this::temporalSearch)),
        new Route("POST", "/v1/memories/tag-search", "tagSearch",
            "Memories carrying all or any of the tags.", "search", Access.READ, List.of(),
            "TagSearchRequest", 200, SEARCH_RESULT, costly(this::tagSearch)),
        new Route("POST", "/v1/memories/people-search", "peopleSearch",
            "Memories mentioning any of the people.", "search", Access.READ, List.of(),
            "PeopleSearchRequest", 200, SEARCH_RESULT, costly(this::peopleSearch)),
        new Route("GET", "/v1/users/{user_id}/stats", "userStats",
            "Counts and time span of a user's memories, or of one agent's or session's of them.",
            "users", Access.READ, List.of(ScopedCalls.AGENT_ID, ScopedCalls.SESSION_ID), null,
            200, "UserStats", this::stats),
        new Route("GET", "/v1/agents/{agent_id}/stats", "agentStats",
            "Counts and time span of an agent's own memories, or of one session's of them.",
            "users", Access.READ, List.of(ScopedCalls.SESSION_ID), null, 200, "UserStats",
            this::agentStats),
        new Route("GET", "/v1/users/current", "currentUser",
            "The calling key: its project, id and scopes.", "users", Access.AUTHENTICATED,
            List.of(), null, 200, "CurrentUser", this::current),
        new Route("GET", "/v1/ping", "ping", "Liveness; no key needed.", "system", Access.PUBLIC,
            List.of(), null, 200, "Ping", call -> ping()),
        new Route("GET", "/v1/health", "health",
            "Probes the store and the embedder; 503 when one is down. No key needed.", "system",
            Access.PUBLIC, List.of(), null, 200, "Health", call -> health()),
        new Route("GET", "/openapi.json", "openApi", "This OpenAPI document.", "system",
            Access.PUBLIC, List.of(), null, 200, "OpenApiDocument", call -> openApi())));
    table.addAll(bulk.routes());
    if (docs != null) {
      table.add(new Route("GET", "/docs", "docs", "Interactive API documentation (Swagger UI).",
          "system", Access.PUBLIC, List.of(), null, 200, null, call -> docs.page()));
      table.add(new Route("GET", "/docs/{asset}", "docsAsset", "A Swagger UI asset.", "system",
          Access.PUBLIC, List.of(), null, 200, null, call -> docs.asset(call.path("asset"))));
    }
    table.addAll(new PartitionRoutes(memory).routes());
    if (dashboard != null) {
      table.addAll(dashboard.routes());
    }
    if (metrics != null) {
      table.add(new Route("GET", "/metrics", "metrics",
          "The server's metrics in Prometheus's text format 0.0.4, or OpenMetrics 1.0 when the"
              + " Accept header asks for it (admin keys only).", "system",
          Access.ADMIN, List.of(), null, 200, null, call -> metrics.scrape(call.header("Accept"))));
    }
    if (webhooks != null) {
      table.addAll(new WebhookRoutes(webhooks.webhooks()).routes());
      return WebhookRoutes.nudging(table, webhooks::nudge);
    }
    return table;
  }

  /** The scope's query parameters, then {@code more}. */
  private static List<Param> scoped(Param... more) {
    List<Param> params = new ArrayList<>(ScopedCalls.SCOPE);
    params.addAll(List.of(more));
    return params;
  }

  /** A route that embeds text or ranks memories: admitted as costly work. */
  private Route.Handler costly(Route.Handler handler) {
    return admission.costly(handler);
  }

  // ------------------------------------------------------------------ auth

  private Object generateKey(Call call) {
    JsonBody body = call.body();
    String projectId = body.string(KeysJson.PROJECT_ID);
    String projectName = body.string(KeysJson.PROJECT_NAME);
    String name = body.string(KeysJson.NAME);
    Set<KeyScope> scopes = scopes(body, body.strings(KeysJson.SCOPES_IN));
    Instant expiresAt = body.instant(KeysJson.EXPIRES_AT_IN);
    body.build(() -> null);
    return KeysJson.created(keys.generate(call.principal(), projectId, projectName, name, scopes,
        expiresAt));
  }

  private static @Nullable Set<KeyScope> scopes(JsonBody body, @Nullable List<String> names) {
    return KeysJson.scopes(names, problem -> body.invalid(KeysJson.SCOPES.field(), problem));
  }

  private Object listKeys(Call call) {
    List<ApiKeyRecord> all = keys.list(call.principal(), call.query("project_id"));
    return Map.of(KeysJson.KEYS.name(), all.stream().map(KeysJson::key).toList());
  }

  private Object revokeKey(Call call) {
    String keyId = call.query("key_id");
    if (keyId == null) {
      throw new InvalidRequestException("keyId", "is required (query parameter key_id)");
    }
    return KeysJson.key(keys.revoke(call.principal(), keyId));
  }

  // ------------------------------------------------------------------ memories

  private Memory project(Call call) {
    return memory.namespace(call.project());
  }

  /**
   * A memory ({@code memory_content}, costly work) or a conversation ({@code messages}, model
   * work: its own turns, as a model call holds the request for seconds); both or neither is a 400
   * naming both fields.
   */
  private Object add(Call call) {
    JsonBody body = call.body();
    boolean content = body.has(MemoryJson.CONTENT);
    if (content == body.has(RequestJson.MESSAGES)) {
      String memory = MemoryJson.CONTENT.name();
      String messages = RequestJson.MESSAGES.name();
      String problem = content ? "give either " + memory + " or " + messages + ", not both"
          : "give " + memory + " (a memory) or " + messages + " (a conversation)";
      throw new InvalidRequestException(List.of(
          new InvalidRequestException.Violation(MemoryJson.CONTENT.field(), problem),
          new InvalidRequestException.Violation(RequestJson.MESSAGES.field(), problem)));
    }
    if (content) {
      return admission.costly(this::addMemory).handle(call);
    }
    return admission.extraction(this::addConversation, call);
  }

  private Object addMemory(Call call) {
    AddRequest request = RequestJson.add(call.body());
    return ResultJson.addResult(project(call).add(request));
  }

  private Object addConversation(Call call) {
    Memory project = project(call);
    ConversationRequest request = RequestJson.conversation(call.body(), project.limits());
    return ResultJson.conversationResult(project.add(request));
  }

  private Object addAll(Call call) {
    List<AddRequest> requests = RequestJson.addAll(call.body(),
        size -> project(call).limits().checkBatchSize(size));
    return ResultJson.addResults(project(call).addAll(requests));
  }

  private Object search(Call call) {
    Memory project = project(call);
    return ResultJson.searchResult(project.search(RequestJson.search(call.body(),
        project.limits())));
  }

  private Object list(Call call) {
    return ResultJson.page(ScopedCalls.list(project(call), call));
  }

  private Object listFiltered(Call call) {
    Memory project = project(call);
    return ResultJson.page(project.list(RequestJson.list(call.body(), project.limits())));
  }

  private Object get(Call call) {
    return MemoryJson.write(ScopedCalls.get(project(call), call, call.path("memory_id")));
  }

  private Object update(Call call) {
    UpdateRequest request = RequestJson.update(call.body());
    return MemoryJson.write(ScopedCalls.update(project(call), call, call.path("memory_id"),
        request));
  }

  private Object delete(Call call) {
    return ResultJson.deleted(ScopedCalls.delete(project(call), call, call.path("memory_id")));
  }

  private Object deleteAll(Call call) {
    return ResultJson.deletedCount(ScopedCalls.deleteAll(project(call), call));
  }

  private Object history(Call call) {
    return ResultJson.history(ScopedCalls.history(project(call), call, call.path("memory_id")));
  }

  private Object temporalSearch(Call call) {
    Memory project = project(call);
    return ResultJson.searchResult(project.search(RequestJson.temporalSearch(call.body(),
        project.limits())));
  }

  private Object tagSearch(Call call) {
    Memory project = project(call);
    return ResultJson.searchResult(project.search(RequestJson.tagSearch(call.body(),
        project.limits())));
  }

  private Object peopleSearch(Call call) {
    Memory project = project(call);
    return ResultJson.searchResult(project.search(RequestJson.peopleSearch(call.body(),
        project.limits())));
  }

  private Object stats(Call call) {
    return ResultJson.userStats(ScopedCalls.stats(project(call), call, call.path("user_id"),
        false));
  }

  private Object agentStats(Call call) {
    return ResultJson.userStats(ScopedCalls.stats(project(call), call, call.path("agent_id"),
        true));
  }

  private Object current(Call call) {
    Principal principal = call.principal();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(KeysJson.PROJECT_ID.name(), principal.projectId());
    json.put(KeysJson.PROJECT_NAME.name(), keys.projectName(principal.projectId()));
    json.put(KeysJson.KEY_ID.name(), principal.keyId());
    json.put(KeysJson.SCOPES.name(), KeysJson.scopes(principal.scopes()));
    return json;
  }

  // ------------------------------------------------------------------ system

  private static Object ping() {
    return ResultJson.ping(MemoryClients.version());
  }

  private Object health() {
    Health health = memory.healthCheck();
    health.components().forEach((name, component) -> {
      if (component.status() == Health.Status.DOWN) {
        LOG.warn("Health check: {} is down: {}", name, component.detail());
      }
    });
    return Reply.json(health.isUp() ? 200 : 503, Json.health(health));
  }

  /**
   * The document, written once with its length: it is larger than an answer sent whole
   * ({@link JsonAnswer#BUFFER}), and a streamed answer would take a turn of the large answers and,
   * on a connection that closes after it, end with the connection instead of a length.
   */
  private Object openApi() {
    Reply document = openApi;
    if (document == null) {
      document = Reply.json(200, OpenApi.document(routes)).materialized();
      openApi = document;
    }
    return document;
  }
}
