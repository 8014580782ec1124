package io.inmemory.server;

import io.inmemory.MemoryClients;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAPI 3.1 document, generated from the route table: every route is one operation, with
 * its parameters, body, success answer, the problems it can answer and its security. The schemas
 * of bodies are declared here, once, by name.
 */
final class OpenApi {
  private static final String PROBLEM = "Problem";

  private OpenApi() {}

  static Map<String, Object> document(List<Route> routes) {
    Map<String, Object> paths = new LinkedHashMap<>();
    for (Route route : routes) {
      @SuppressWarnings("unchecked")
      Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(route.template(),
          template -> new LinkedHashMap<String, Object>());
      item.put(route.method().toLowerCase(Locale.ROOT), operation(route));
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("openapi", "3.1.0");
    document.put("info", map("title", "InMemory API", "version", MemoryClients.version(),
        "description", "Long-term memory for AI agents. Errors are application/problem+json with"
            + " a stable type (" + ProblemType.TYPE_PREFIX + "<kind>)."));
    document.put("paths", paths);
    document.put("x-problem-types", problemTypes());
    document.put("components", map(
        "schemas", schemas(),
        "securitySchemes", map(
            "bearer", map("type", "http", "scheme", "bearer",
                "description", "An API key: Authorization: Bearer im_..."),
            "apiKey", map("type", "apiKey", "in", "header", "name", "X-API-Key"))));
    return document;
  }

  private static Map<String, Object> operation(Route route) {
    Map<String, Object> operation = new LinkedHashMap<>();
    operation.put("operationId", route.operationId());
    operation.put("summary", route.summary());
    operation.put("tags", List.of(route.tag()));
    List<Object> parameters = new ArrayList<>();
    for (String name : route.pathParams()) {
      parameters.add(map("name", name, "in", "path", "required", true,
          "schema", map("type", "string")));
    }
    for (Route.Param param : route.query()) {
      parameters.add(map("name", param.name(), "in", "query", "required", param.required(),
          "description", param.description(), "schema", map("type", param.type())));
    }
    if (route.idempotent()) {
      parameters.add(map("name", Idempotency.HEADER, "in", "header", "required", false,
          "description", "1 to 255 printable ASCII characters: a retry with the same key and"
              + " body gets the first answer again (header " + Idempotency.REPLAYED_HEADER
              + ": true) instead of storing twice; another body with the key is a 409.",
          "schema", map("type", "string", "minLength", 1, "maxLength", 255)));
    }
    if (!parameters.isEmpty()) {
      operation.put("parameters", parameters);
    }
    if (route.requestSchema() != null) {
      operation.put("requestBody", map("required", true, "content",
          map("application/json", map("schema", ref(route.requestSchema())))));
    }
    Map<String, Object> responses = new LinkedHashMap<>();
    Object success = route.responseSchema() == null
        ? map("description", "OK")
        : map("description", "OK", "content",
            map("application/json", map("schema", ref(route.responseSchema()))));
    responses.put(String.valueOf(route.status()), success);
    for (ProblemType type : problems(route)) {
      responses.putIfAbsent(String.valueOf(type.status()), map("description", type.title(),
          "content", map("application/problem+json", map("schema", ref(PROBLEM)))));
    }
    operation.put("responses", responses);
    operation.put("security", route.access() == Route.Access.PUBLIC
        ? List.of() : List.of(map("bearer", List.of()), map("apiKey", List.of())));
    return operation;
  }

  /** The problem table, so that clients map each problem type to the same exception. */
  private static List<Object> problemTypes() {
    List<Object> types = new ArrayList<>();
    for (ProblemType type : ProblemType.values()) {
      types.add(map("type", type.type(), "status", type.status(), "title", type.title(),
          "exception", type.exception().getName()));
    }
    return types;
  }

  private static List<ProblemType> problems(Route route) {
    List<ProblemType> types = new ArrayList<>();
    types.add(ProblemType.VALIDATION);
    if (route.access() != Route.Access.PUBLIC) {
      types.addAll(List.of(ProblemType.AUTHENTICATION, ProblemType.PERMISSION_DENIED,
          ProblemType.NOT_FOUND, ProblemType.RATE_LIMITED));
    }
    if (route.requestSchema() != null) {
      types.addAll(List.of(ProblemType.CONTENT_TOO_LARGE, ProblemType.UNSUPPORTED_MEDIA_TYPE));
    }
    if (route.requestSchema() != null || route.access() != Route.Access.PUBLIC) {
      // a body waits for request memory, an answer over 64 KB (any read) for a turn to stream
      types.add(ProblemType.OVERLOADED);
    }
    if (route.idempotent()) {
      types.add(ProblemType.IDEMPOTENCY_KEY_REUSED);
    }
    types.addAll(List.of(ProblemType.INTERNAL, ProblemType.STORAGE_UNAVAILABLE));
    return types;
  }

  // ------------------------------------------------------------------ schemas

  /** Every schema a route names, plus those they refer to. */
  static Map<String, Object> schemas() {
    Map<String, Object> s = new LinkedHashMap<>();
    Map<String, Object> tags = stringsOrCsv("Lower-cased, trimmed, de-duplicated.");
    Map<String, Object> people = stringsOrCsv("Matched case-insensitively.");
    s.put("Memory", object(List.of("id", "user_id", "memory_content", "created_at", "updated_at"),
        "id", str(), "user_id", str(), "memory_content", str(), "tags", strings(),
        "people_mentioned", strings(), "topic_category", nullable("string"),
        "metadata", map("type", "object"), "created_at", instant(), "updated_at", instant()));
    s.put("AddMemoryRequest", object(List.of("memory_content", "user_id"),
        "memory_content", str(), "user_id", str(), "tags", tags, "people_mentioned", people,
        "topic_category", str(), "metadata", map("type", "object"), "created_at", instant()));
    s.put("AddMemoriesRequest", object(List.of("memories"),
        "memories", map("type", "array", "items", ref("AddMemoryRequest"))));
    s.put("AddResult", object(List.of("memory"), "memory", ref("Memory")));
    s.put("AddResults", object(List.of("results"),
        "results", map("type", "array", "items", ref("AddResult"))));
    s.put("UpdateMemoryRequest", object(List.of(),
        "memory_content", str(), "tags", tags, "people_mentioned", people,
        "topic_category", map("type", "string", "description", "Empty clears the topic."),
        "metadata", map("type", "object")));
    s.put("SearchRequest", object(List.of("user_id"),
        "query", str(), "user_id", str(), "limit", integer(), "threshold", map("type", "number"),
        "tags", tags, "tag_match", map("type", "string", "enum", List.of("all", "any")),
        "people_mentioned", people, "topic_category", str(), "metadata", map("type", "object"),
        "created_after", instant(), "created_before", instant(), "temporal_query", str(),
        "reference_time", instant(), "time_zone", str()));
    s.put("TemporalSearchRequest", object(List.of("temporal_query", "user_id"),
        "temporal_query", str(), "user_id", str(), "semantic_query", str(), "limit", integer()));
    s.put("TagSearchRequest", object(List.of("tags", "user_id"),
        "tags", tags, "user_id", str(), "semantic_query", str(),
        "match_all", map("type", "boolean", "default", true), "limit", integer()));
    s.put("PeopleSearchRequest", object(List.of("people", "user_id"),
        "people", people, "user_id", str(), "semantic_query", str(), "limit", integer()));
    s.put("SearchResult", object(List.of("hits", "ranking"),
        "hits", map("type", "array", "items", object(List.of("memory", "score"),
            "memory", ref("Memory"), "score", map("type", "number"))),
        "ranking", map("type", "string",
            "enum", List.of("relevance", "lexical", "fused", "recency")),
        "time_range", map("type", List.of("object", "null"), "properties",
            map("start", nullable("string"), "end", nullable("string")))));
    s.put("MemoryPage", object(List.of("items", "offset", "limit", "total", "has_more"),
        "items", map("type", "array", "items", ref("Memory")), "offset", integer(),
        "limit", integer(), "total", integer(), "has_more", map("type", "boolean")));
    s.put("Deleted", object(List.of("deleted"), "deleted", map("type", "boolean")));
    s.put("DeletedCount", object(List.of("deleted_count"), "deleted_count", integer()));
    s.put("History", object(List.of("entries"), "entries", map("type", "array", "items",
        object(List.of("memory_id", "user_id", "event", "at"), "memory_id", str(),
            "user_id", str(), "event", map("type", "string",
                "enum", List.of("add", "update", "delete")),
            "previous_content", nullable("string"), "new_content", nullable("string"),
            "at", instant()))));
    s.put("UserStats", object(List.of("user_id", "memory_count"),
        "user_id", str(), "memory_count", integer(), "first_created_at", nullable("string"),
        "last_created_at", nullable("string"), "tag_counts", counts(), "people_counts", counts(),
        "topic_counts", counts()));
    s.put("CurrentUser", object(List.of("key_id", "scopes"),
        "project_id", nullable("string"), "key_id", str(), "scopes", strings()));
    s.put("Ping", object(List.of("status"), "status", str(), "version", str()));
    s.put("Health", object(List.of("status", "components"),
        "status", map("type", "string", "enum", List.of("UP", "DOWN")), "version", str(),
        "components", map("type", "object"), "checked_at", instant()));
    s.put("GenerateKeyRequest", object(List.of(),
        "name", str(), "scopes", stringsOrCsv("read, write, keys, admin; default read, write."),
        "expires_at", instant(), "project_id", str(), "project_name", str()));
    Map<String, Object> key = apiKey();
    s.put("ApiKey", key);
    Map<String, Object> generated = new LinkedHashMap<>(key);
    @SuppressWarnings("unchecked")
    Map<String, Object> properties =
        new LinkedHashMap<>((Map<String, Object>) key.get("properties"));
    properties.put("key", map("type", "string", "description", "The key itself; shown once."));
    generated.put("properties", properties);
    s.put("GeneratedKey", generated);
    s.put("KeyList", object(List.of("keys"), "keys", map("type", "array", "items",
        ref("ApiKey"))));
    s.put("OpenApiDocument", map("type", "object"));
    s.put(PROBLEM, object(List.of("type", "title", "status"),
        "type", str(), "title", str(), "status", integer(), "detail", str(), "instance", str(),
        "request_id", str(), "violations", map("type", "array", "items",
            object(List.of("field", "problem"), "field", str(), "problem", str())),
        "retry_after_seconds", integer()));
    return s;
  }

  private static Map<String, Object> apiKey() {
    return object(List.of("key_id", "project_id", "scopes", "created_at"),
        "key_id", str(), "project_id", str(), "name", str(), "hint", str(), "scopes", strings(),
        "created_at", instant(), "expires_at", nullable("string"),
        "revoked_at", nullable("string"), "last_used_at", nullable("string"),
        "usage_count", integer());
  }

  private static Map<String, Object> object(List<String> required, Object... properties) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", map(properties));
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    return schema;
  }

  private static Map<String, Object> counts() {
    return map("type", "object", "additionalProperties", integer());
  }

  private static Map<String, Object> str() {
    return map("type", "string");
  }

  private static Map<String, Object> integer() {
    return map("type", "integer");
  }

  private static Map<String, Object> instant() {
    return map("type", "string", "format", "date-time");
  }

  private static Map<String, Object> nullable(String type) {
    return map("type", List.of(type, "null"));
  }

  private static Map<String, Object> strings() {
    return map("type", "array", "items", str());
  }

  private static Map<String, Object> stringsOrCsv(String description) {
    return map("description", description + " A list, or one comma-separated string.",
        "oneOf", List.of(strings(), str()));
  }

  private static Map<String, Object> ref(String schema) {
    return map("$ref", "#/components/schemas/" + schema);
  }

  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
