package io.inmemory.server;

import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.wire.ArchiveJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of the route table: what the router matches and what the OpenAPI document
 * describes, declared once.
 *
 * @param method the HTTP method, upper case
 * @param template the path, with {@code {name}} segments for path parameters; no trailing slash
 * @param operationId the OpenAPI operation id, unique
 * @param summary one line for the documentation
 * @param tag the OpenAPI tag grouping it
 * @param access who may call it
 * @param query the query parameters it reads
 * @param requestSchema the component schema of its JSON body, or {@code null} for none
 * @param status the status of a successful answer
 * @param responseSchema the component schema of a successful answer, or {@code null} for a
 *     non-JSON answer
 * @param handler what answers it
 * @param idempotent whether it honours an {@code Idempotency-Key} header (see {@link Idempotency})
 */
record Route(
    String method,
    String template,
    String operationId,
    String summary,
    String tag,
    Access access,
    List<Param> query,
    @Nullable String requestSchema,
    int status,
    @Nullable String responseSchema,
    Handler handler,
    boolean idempotent) {

  private static final Pattern TEMPLATE = Pattern.compile("(/([A-Za-z0-9._-]+|\\{[a-z_]+\\}))+");

  Route {
    Objects.requireNonNull(method, "method");
    if (!TEMPLATE.matcher(template).matches()) {
      throw new IllegalArgumentException("bad route template " + template);
    }
    Objects.requireNonNull(operationId, "operationId");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(access, "access");
    query = List.copyOf(query);
    Objects.requireNonNull(handler, "handler");
  }

  /** A route without idempotency keys. */
  Route(String method, String template, String operationId, String summary, String tag,
      Access access, List<Param> query, String requestSchema, int status, String responseSchema,
      Handler handler) {
    this(method, template, operationId, summary, tag, access, query, requestSchema, status,
        responseSchema, handler, false);
  }

  /** The media type of its request body: JSON Lines for an import, JSON for the others. */
  String requestMediaType() {
    return ArchiveJson.LINES_SCHEMA.equals(requestSchema) ? ArchiveJson.MEDIA_TYPE
        : "application/json";
  }

  /** The template's segments, without the leading empty one. */
  List<String> segments() {
    return List.of(template.substring(1).split("/"));
  }

  /** The names of the path parameters, in order. */
  List<String> pathParams() {
    List<String> names = new ArrayList<>();
    for (String segment : segments()) {
      if (segment.startsWith("{")) {
        names.add(segment.substring(1, segment.length() - 1));
      }
    }
    return names;
  }

  /** Who may call a route. */
  enum Access {
    /** Anyone, without a key. */
    PUBLIC(null),
    /** Any valid key, whatever its scopes. */
    AUTHENTICATED(null),
    READ(KeyScope.READ),
    WRITE(KeyScope.WRITE),
    KEYS(KeyScope.KEYS),
    ADMIN(KeyScope.ADMIN);

    private final @Nullable KeyScope scope;

    Access(@Nullable KeyScope scope) {
      this.scope = scope;
    }

    /** The scope a key needs, or {@code null} when any key (or none) will do. */
    @Nullable KeyScope scope() {
      return scope;
    }
  }

  /**
   * A query parameter.
   *
   * @param name its name
   * @param type its OpenAPI type: {@code string} or {@code integer}
   * @param required whether it must be given
   * @param description one line for the documentation
   */
  record Param(String name, String type, boolean required, String description) {}

  /** Answers a matched request; returns the JSON body (a map or list) or a {@link Reply}. */
  @FunctionalInterface
  interface Handler {
    Object handle(Call call);
  }
}
