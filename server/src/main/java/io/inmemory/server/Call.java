package io.inmemory.server;

import io.inmemory.InvalidRequestException;
import io.inmemory.PermissionDeniedException;
import io.inmemory.wire.JsonBody;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/**
 * One matched request as a handler sees it: path and query parameters, the JSON body (or its
 * bytes), the request id and the caller. Not thread-safe; one per request.
 */
final class Call {
  private final Map<String, String> pathParams;
  private final Fields query;
  private final Supplier<JsonBody> body;
  private final @Nullable Principal principal;
  private final HttpFields headers;
  private final byte[] bytes;
  private final String requestId;

  Call(Map<String, String> pathParams, Fields query, Supplier<JsonBody> body,
      @Nullable Principal principal, HttpFields headers, byte[] bytes, String requestId) {
    this.headers = headers;
    this.bytes = bytes;
    this.requestId = requestId;
    this.pathParams = Map.copyOf(pathParams);
    this.query = query;
    this.body = body;
    this.principal = principal;
  }

  /** The request's header {@code name} (its first value), or {@code null} when absent. */
  @Nullable String header(String name) {
    return headers.get(name);
  }

  String path(String name) {
    return pathParams.get(name);
  }

  /**
   * A query parameter, or {@code null} when absent (never empty: {@link QueryParameters} refuses
   * an empty one).
   */
  @Nullable String query(String name) {
    return query.getValue(name);
  }

  /**
   * An integer query parameter, or {@code null} when absent; when it is not a whole number, adds
   * the problem to {@code problems} (under the Java field name) and returns {@code null}.
   */
  @Nullable Integer queryInt(String name, String field,
      List<InvalidRequestException.Violation> problems) {
    String value = query(name);
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      problems.add(new InvalidRequestException.Violation(field, "must be a whole number, was '"
          + value + "'"));
      return null;
    }
  }

  /** The parsed JSON body; an absent body is an empty object. */
  JsonBody body() {
    return body.get();
  }

  /** The body as it came, for a route whose body is not JSON; not a copy: do not change it. */
  byte[] bytes() {
    return bytes;
  }

  /** The request's id, as its answer and log line name it. */
  String requestId() {
    return requestId;
  }

  /** The caller; null only on public routes. */
  @Nullable Principal principal() {
    return principal;
  }

  /** The caller's project, the namespace of every memory it reaches. */
  String project() {
    if (principal.projectId() == null) {
      throw new PermissionDeniedException("The bootstrap admin key has no project and reaches no"
          + " memories: create a key for a project with POST /v1/auth/generate-key");
    }
    return principal.projectId();
  }
}
