package io.inmemory.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.Health;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryClients;
import io.inmemory.NotFoundException;
import io.inmemory.SearchRequest;
import io.inmemory.TagMatch;
import io.inmemory.UpdateRequest;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.server.Route.Access;
import io.inmemory.server.Route.Param;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route table of the REST API and its handlers: the single declaration both the router and
 * the OpenAPI document are built from. Every memory operation runs in the caller's project's
 * namespace ({@link Memory#namespace}), so no id a caller sends reaches another project's data.
 */
final class Api {
  private static final Param USER_ID = new Param("user_id", "string", true,
      "The user whose memories to use.");
  private static final String SEARCH_RESULT = "SearchResult";

  private static final Logger LOG = LoggerFactory.getLogger(Api.class);

  private final Memory memory;
  private final ApiKeys keys;
  private final Docs docs;
  private final Admission admission;
  private final List<Route> routes;
  private volatile Map<String, Object> openApi;

  /**
   * @param docs the documentation pages, or {@code null} when they are turned off
   * @param admission runs the routes that embed or rank as costly work
   */
  Api(Memory memory, ApiKeys keys, Docs docs, Admission admission) {
    this.memory = memory;
    this.keys = keys;
    this.docs = docs;
    this.admission = admission;
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
        new Route("POST", "/v1/memories", "addMemory", "Stores a memory.", "memories",
            Access.WRITE, List.of(), "AddMemoryRequest", 201, "AddResult", costly(this::add),
            true),
        new Route("POST", "/v1/memories/batch", "addMemories",
            "Stores several memories; one invalid request rejects them all.", "memories",
            Access.WRITE, List.of(), "AddMemoriesRequest", 201, "AddResults",
            costly(this::addAll), true),
        new Route("POST", "/v1/memories/search", "searchMemories",
            "Searches a user's memories by meaning, with filters.", "memories", Access.READ,
            List.of(), "SearchRequest", 200, SEARCH_RESULT, costly(this::search)),
        new Route("GET", "/v1/memories", "listMemories",
            "One page of a user's memories, newest first.", "memories", Access.READ,
            List.of(USER_ID,
                new Param("limit", "integer", false, "Page size, 1 to 1000 (default 10)."),
                new Param("offset", "integer", false, "Memories to skip (default 0).")),
            null, 200, "MemoryPage", this::list),
        new Route("DELETE", "/v1/memories", "deleteAllMemories",
            "Deletes every memory of a user.", "memories", Access.WRITE, List.of(USER_ID),
            null, 200, "DeletedCount", this::deleteAll),
        new Route("GET", "/v1/memories/{memory_id}", "getMemory", "A memory by id.", "memories",
            Access.READ, List.of(USER_ID), null, 200, "Memory", this::get),
        new Route("PUT", "/v1/memories/{memory_id}", "updateMemory",
            "Changes a memory; absent members stay unchanged.", "memories", Access.WRITE,
            List.of(USER_ID), "UpdateMemoryRequest", 200, "Memory", costly(this::update)),
        new Route("DELETE", "/v1/memories/{memory_id}", "deleteMemory",
            "Deletes a memory; says whether it existed. Its history is kept.", "memories",
            Access.WRITE, List.of(USER_ID), null, 200, "Deleted", this::delete),
        new Route("GET", "/v1/memories/{memory_id}/history", "memoryHistory",
            "Every change of a memory, oldest first.", "memories", Access.READ,
            List.of(USER_ID), null, 200, "History", this::history),
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
            "Counts and time span of a user's memories.", "users", Access.READ, List.of(), null,
            200, "UserStats", this::stats),
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
    if (docs != null) {
      table.add(new Route("GET", "/docs", "docs", "Interactive API documentation (Swagger UI).",
          "system", Access.PUBLIC, List.of(), null, 200, null, call -> docs.page()));
      table.add(new Route("GET", "/docs/{asset}", "docsAsset", "A Swagger UI asset.", "system",
          Access.PUBLIC, List.of(), null, 200, null, call -> docs.asset(call.path("asset"))));
    }
    return table;
  }

  /** A route that embeds text or ranks memories: admitted as costly work. */
  private Route.Handler costly(Route.Handler handler) {
    return admission.costly(handler);
  }

  // ------------------------------------------------------------------ auth

  private Object generateKey(Call call) {
    JsonBody body = call.body();
    String projectId = body.string("project_id", "projectId");
    String projectName = body.string("project_name", "projectName");
    String name = body.string("name", "name");
    Set<KeyScope> scopes = scopes(body, body.strings("scopes", "scopes"));
    Instant expiresAt = body.instant("expires_at", "expiresAt");
    body.build(() -> null);
    ApiKeys.Created created = keys.generate(call.principal(), projectId, projectName, name, scopes,
        expiresAt);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("key", created.secret());
    json.putAll(Json.key(created.record()));
    return json;
  }

  private static Set<KeyScope> scopes(JsonBody body, List<String> names) {
    if (names == null) {
      return null;
    }
    Set<KeyScope> scopes = EnumSet.noneOf(KeyScope.class);
    for (String name : names) {
      try {
        scopes.add(KeyScope.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        // The first unknown one is enough: a list of a million must not make a million problems.
        body.invalid("scopes", quoted(name) + " is not a scope: read, write, keys or admin");
        break;
      }
    }
    return scopes;
  }

  private Object listKeys(Call call) {
    List<ApiKeyRecord> all = keys.list(call.principal(), call.query("project_id"));
    return Map.of("keys", all.stream().map(Json::key).toList());
  }

  private Object revokeKey(Call call) {
    String keyId = call.query("key_id");
    if (keyId == null) {
      throw new InvalidRequestException("keyId", "is required (query parameter key_id)");
    }
    return Json.key(keys.revoke(call.principal(), keyId));
  }

  // ------------------------------------------------------------------ memories

  private Memory project(Call call) {
    return memory.namespace(call.project());
  }

  private static AddRequest addRequest(JsonBody body) {
    String content = body.string("memory_content", "content");
    String userId = body.string("user_id", "userId");
    List<String> tags = body.strings("tags", "tags");
    List<String> people = body.strings("people_mentioned", "people");
    String topic = body.string("topic_category", "topic");
    Map<String, Object> metadata = body.object("metadata", "metadata");
    Instant createdAt = body.instant("created_at", "createdAt");
    return body.build(() -> AddRequest.builder(content, userId)
        .tags(tags == null ? List.of() : tags)
        .people(people == null ? List.of() : people)
        .topic(topic)
        .metadata(metadata == null ? Map.of() : metadata)
        .createdAt(createdAt)
        .build());
  }

  private Object add(Call call) {
    AddRequest request = addRequest(call.body());
    return addResult(project(call).add(request));
  }

  private static Map<String, Object> addResult(AddResult result) {
    return Map.of("memory", Json.memory(result.memory()));
  }

  private Object addAll(Call call) {
    JsonBody body = call.body();
    List<ObjectNode> items = body.objects("memories", "requests");
    if (items != null) {
      // Before building any request: a batch of millions is rejected without making them.
      project(call).limits().checkBatchSize(items.size());
    }
    List<AddRequest> requests = new ArrayList<>();
    List<InvalidRequestException.Violation> problems = new ArrayList<>();
    if (items != null) {
      for (int i = 0; i < items.size(); i++) {
        try {
          requests.add(addRequest(new JsonBody(items.get(i))));
        } catch (InvalidRequestException e) {
          for (InvalidRequestException.Violation v : e.violations()) {
            problems.add(new InvalidRequestException.Violation(
                "requests[" + i + "]." + v.field(), v.problem()));
          }
        }
      }
    }
    problems.forEach(v -> body.invalid(v.field(), v.problem()));
    if (items == null) {
      body.invalid("requests", "is required: a list of memories to add");
    }
    body.build(() -> null);
    return Map.of("results", project(call).addAll(requests).stream().map(Api::addResult)
        .toList());
  }

  private Object search(Call call) {
    JsonBody body = call.body();
    String query = body.string("query", "query");
    String userId = body.string("user_id", "userId");
    Integer limit = body.integer("limit", "limit");
    Double threshold = body.decimal("threshold", "threshold");
    List<String> tags = body.strings("tags", "tags");
    String tagMatch = body.string("tag_match", "tagMatch");
    List<String> people = body.strings("people_mentioned", "people");
    String topic = body.string("topic_category", "topic");
    Map<String, Object> metadata = body.object("metadata", "metadata");
    Instant after = body.instant("created_after", "createdAfter");
    Instant before = body.instant("created_before", "createdBefore");
    String temporal = body.string("temporal_query", "temporal");
    Instant reference = body.instant("reference_time", "referenceTime");
    String zone = body.string("time_zone", "zone");
    TagMatch match = tagMatch(body, tagMatch);
    ZoneId zoneId = zone(body, zone);
    SearchRequest request = body.build(() -> SearchRequest.builder(userId)
        .query(query)
        .limit(limit == null ? SearchRequest.DEFAULT_LIMIT : limit)
        .threshold(threshold)
        .tags(tags == null ? List.of() : tags, match)
        .people(people == null ? List.of() : people)
        .topic(topic)
        .metadata(metadata == null ? Map.of() : metadata)
        .createdAfter(after)
        .createdBefore(before)
        .temporal(temporal)
        .referenceTime(reference)
        .zone(zoneId)
        .build());
    return Json.searchResult(project(call).search(request));
  }

  private static TagMatch tagMatch(JsonBody body, String value) {
    if (value == null) {
      return TagMatch.ALL;
    }
    try {
      return TagMatch.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      body.invalid("tagMatch", "must be 'all' or 'any'");
      return TagMatch.ALL;
    }
  }

  private static ZoneId zone(JsonBody body, String value) {
    if (value == null) {
      return null;
    }
    try {
      return ZoneId.of(value.trim());
    } catch (DateTimeException e) {
      body.invalid("zone", quoted(value) + " is not a time zone id such as UTC or Europe/Paris");
      return null;
    }
  }

  /** A value quoted in a problem, cut short: the answer must not grow with the input. */
  private static String quoted(String value) {
    return "'" + (value.length() <= 40 ? value : value.substring(0, 40) + "…") + "'";
  }

  private Object list(Call call) {
    List<InvalidRequestException.Violation> problems = new ArrayList<>();
    Integer limit = call.queryInt("limit", "limit", problems);
    Integer offset = call.queryInt("offset", "offset", problems);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    return Json.page(project(call).getAll(userId(call),
        limit == null ? SearchRequest.DEFAULT_LIMIT : limit, offset == null ? 0 : offset));
  }

  /** The {@code user_id} query parameter; a missing one fails the engine's validation. */
  private static String userId(Call call) {
    return call.query("user_id");
  }

  private Object get(Call call) {
    String id = call.path("memory_id");
    String userId = userId(call);
    return Json.memory(project(call).get(id, userId)
        .orElseThrow(() -> new NotFoundException("No memory " + id + " for user " + userId)));
  }

  private Object update(Call call) {
    JsonBody body = call.body();
    String content = body.string("memory_content", "content");
    List<String> tags = body.strings("tags", "tags");
    List<String> people = body.strings("people_mentioned", "people");
    String topic = body.string("topic_category", "topic");
    Map<String, Object> metadata = body.object("metadata", "metadata");
    UpdateRequest request = body.build(() -> UpdateRequest.builder().content(content).tags(tags)
        .people(people).topic(topic).metadata(metadata).build());
    return Json.memory(project(call).update(call.path("memory_id"), userId(call), request));
  }

  private Object delete(Call call) {
    return Map.of("deleted", project(call).delete(call.path("memory_id"), userId(call)));
  }

  private Object deleteAll(Call call) {
    return Map.of("deleted_count", project(call).deleteAll(userId(call)));
  }

  private Object history(Call call) {
    return Json.history(project(call).history(call.path("memory_id"), userId(call)));
  }

  private Object temporalSearch(Call call) {
    JsonBody body = call.body();
    String temporal = body.string("temporal_query", "temporal");
    String userId = body.string("user_id", "userId");
    String query = body.string("semantic_query", "query");
    Integer limit = body.integer("limit", "limit");
    SearchRequest request = body.build(() -> SearchRequest.forTime(temporal, userId, query,
        limit == null ? SearchRequest.DEFAULT_LIMIT : limit));
    return Json.searchResult(project(call).search(request));
  }

  private Object tagSearch(Call call) {
    JsonBody body = call.body();
    List<String> tags = body.strings("tags", "tags");
    String userId = body.string("user_id", "userId");
    String query = body.string("semantic_query", "query");
    Boolean matchAll = body.bool("match_all", "matchAll");
    Integer limit = body.integer("limit", "limit");
    SearchRequest request = body.build(() -> SearchRequest.forTags(tags, userId, query,
        matchAll == null || matchAll, limit == null ? SearchRequest.DEFAULT_LIMIT : limit));
    return Json.searchResult(project(call).search(request));
  }

  private Object peopleSearch(Call call) {
    JsonBody body = call.body();
    List<String> people = body.strings("people", "people");
    String userId = body.string("user_id", "userId");
    String query = body.string("semantic_query", "query");
    Integer limit = body.integer("limit", "limit");
    SearchRequest request = body.build(() -> SearchRequest.forPeople(people, userId, query,
        limit == null ? SearchRequest.DEFAULT_LIMIT : limit));
    return Json.searchResult(project(call).search(request));
  }

  private Object stats(Call call) {
    return Json.stats(project(call).getUserStats(call.path("user_id")));
  }

  private Object current(Call call) {
    Principal principal = call.principal();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("project_id", principal.projectId());
    json.put("key_id", principal.keyId());
    json.put("scopes", Json.scopes(principal.scopes()));
    return json;
  }

  // ------------------------------------------------------------------ system

  private static Object ping() {
    return Map.of("status", "ok", "version", MemoryClients.version());
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

  private Object openApi() {
    Map<String, Object> document = openApi;
    if (document == null) {
      document = OpenApi.document(routes);
      openApi = document;
    }
    return document;
  }
}
