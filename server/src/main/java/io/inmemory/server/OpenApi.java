package io.inmemory.server;

import static io.inmemory.wire.Schemas.map;
import static io.inmemory.wire.Schemas.ref;

import io.inmemory.MemoryClients;
import io.inmemory.wire.ProblemType;
import io.inmemory.wire.Schemas;
import io.inmemory.wire.Vocabulary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAPI 3.1 document, generated from the route table: every route is one operation, with
 * its parameters, body, success answer, the problems it can answer and its security. The schemas
 * of bodies come from the members of {@code io.inmemory.wire} and {@link KeysJson}.
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
          map(route.requestMediaType(), map("schema", ref(route.requestSchema())))));
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
    if (CONVERSATION_BODY.equals(route.requestSchema())) {
      types.add(ProblemType.EXTRACTION_FAILED);
    }
    types.addAll(List.of(ProblemType.INTERNAL, ProblemType.STORAGE_UNAVAILABLE));
    return types;
  }

  // ------------------------------------------------------------------ schemas

  /** The body of the route that may call the extraction model (and answer 502). */
  static final String CONVERSATION_BODY = "AddMemoryOrConversationRequest";

  /**
   * Every schema a route names, plus those they refer to: the vocabulary shared with the managed
   * client, then the server's own.
   */
  static Map<String, Object> schemas() {
    Map<String, Object> schemas = Vocabulary.schemas();
    schemas.putAll(KeysJson.schemas());
    schemas.put("OpenApiDocument", Schemas.anyObject());
    return schemas;
  }
}
