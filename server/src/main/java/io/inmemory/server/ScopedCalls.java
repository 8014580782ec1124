package io.inmemory.server;

import io.inmemory.HistoryEntry;
import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import io.inmemory.ListRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.Page;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.UpdateRequest;
import io.inmemory.UserStats;
import io.inmemory.server.Route.Param;
import io.inmemory.wire.MemoryJson;
import io.inmemory.wire.RequestJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The memory routes whose scope is given in the query ({@code user_id}, {@code agent_id},
 * {@code session_id}): reading it, and calling the client with it. A scope of a user alone takes
 * the user methods every {@link MemoryClient} has had since before scopes; any other scope takes
 * the scoped methods, so a scope given is a scope applied (never widened to the user's). Stateless
 * and thread-safe.
 */
final class ScopedCalls {
  static final Param USER_ID = new Param(MemoryJson.USER_ID.name(), "string", false,
      "The user whose memories to use; may be omitted when agent_id is given (the agent's own"
          + " memories).");
  static final Param AGENT_ID = new Param(MemoryJson.AGENT_ID.name(), "string", false,
      "With user_id: only the memories of this agent; alone: the agent's own memories.");
  static final Param SESSION_ID = new Param(MemoryJson.SESSION_ID.name(), "string", false,
      "Only the memories of this session.");
  static final Param INCLUDE_SUPERSEDED = new Param(RequestJson.INCLUDE_SUPERSEDED.name(),
      "boolean", false, "Also memories a newer fact superseded (default false).");
  static final Param LIMIT = new Param(RequestJson.LIMIT.name(), "integer", false,
      "Page size, 1 to 1000 (default 10).");
  static final Param OFFSET = new Param(RequestJson.OFFSET.name(), "integer", false,
      "Memories to skip (default 0).");
  /** The query parameters of a scope. */
  static final List<Param> SCOPE = List.of(USER_ID, AGENT_ID, SESSION_ID);

  private ScopedCalls() {}

  /** A scope as the query gives it; {@code null} when it is a user's alone. */
  private static @Nullable Scope scoped(Call call) {
    String agentId = call.query(AGENT_ID.name());
    String sessionId = call.query(SESSION_ID.name());
    if (agentId == null && sessionId == null) {
      return null;
    }
    return new Scope(call.query(USER_ID.name()), agentId, sessionId);
  }

  /** The query's {@code user_id}; a missing one fails the client's validation. */
  private static String userId(Call call) {
    return call.query(USER_ID.name());
  }

  static Page<MemoryRecord> list(MemoryClient client, Call call) {
    List<Violation> problems = new ArrayList<>();
    Integer limit = call.queryInt(LIMIT.name(), RequestJson.LIMIT.field(), problems);
    Integer offset = call.queryInt(OFFSET.name(), RequestJson.OFFSET.field(), problems);
    boolean superseded = bool(call, INCLUDE_SUPERSEDED.name(),
        RequestJson.INCLUDE_SUPERSEDED.field(), problems);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    int size = limit == null ? SearchRequest.DEFAULT_LIMIT : limit;
    int skip = offset == null ? 0 : offset;
    Scope scope = scoped(call);
    if (scope == null && !superseded) {
      return client.getAll(userId(call), size, skip);
    }
    return client.list(ListRequest.builder(scope != null ? scope : new Scope(userId(call), null,
        null)).includeSuperseded(superseded).limit(size).offset(skip).build());
  }

  static MemoryRecord get(MemoryClient client, Call call, String memoryId) {
    Scope scope = scoped(call);
    return (scope == null ? client.get(memoryId, userId(call)) : client.get(memoryId, scope))
        .orElseThrow(() -> new NotFoundException("No memory " + memoryId + " for "
            + describe(scope != null ? scope : Scope.user(userId(call)))));
  }

  static MemoryRecord update(MemoryClient client, Call call, String memoryId,
      UpdateRequest request) {
    Scope scope = scoped(call);
    return scope == null ? client.update(memoryId, userId(call), request)
        : client.update(memoryId, scope, request);
  }

  static boolean delete(MemoryClient client, Call call, String memoryId) {
    Scope scope = scoped(call);
    return scope == null ? client.delete(memoryId, userId(call))
        : client.delete(memoryId, scope);
  }

  static long deleteAll(MemoryClient client, Call call) {
    Scope scope = scoped(call);
    return scope == null ? client.deleteAll(userId(call)) : client.deleteAll(scope);
  }

  static List<HistoryEntry> history(MemoryClient client, Call call, String memoryId) {
    Scope scope = scoped(call);
    return scope == null ? client.history(memoryId, userId(call))
        : client.history(memoryId, scope);
  }

  /** The statistics of a user ({@code agent} false) or an agent named in the path. */
  static UserStats stats(MemoryClient client, Call call, String owner, boolean agent) {
    String sessionId = call.query(SESSION_ID.name());
    String agentId = agent ? owner : call.query(AGENT_ID.name());
    if (!agent && agentId == null && sessionId == null) {
      return client.getUserStats(owner);
    }
    return client.stats(new Scope(agent ? null : owner, agentId, sessionId));
  }

  private static String describe(Scope scope) {
    List<String> parts = new ArrayList<>();
    if (scope.userId() != null) {
      parts.add("user " + scope.userId());
    }
    if (scope.agentId() != null) {
      parts.add("agent " + scope.agentId());
    }
    if (scope.sessionId() != null) {
      parts.add("session " + scope.sessionId());
    }
    return String.join(", ", parts);
  }

  private static boolean bool(Call call, String name, String field, List<Violation> problems) {
    return bool(call, name, field, problems, false);
  }

  /** A boolean query parameter; when it is neither true nor false, adds the problem. */
  static boolean bool(Call call, String name, String field, List<Violation> problems,
      boolean absent) {
    String value = call.query(name);
    if (value == null) {
      return absent;
    }
    String text = value.trim().toLowerCase(Locale.ROOT);
    if (!text.equals("true") && !text.equals("false")) {
      problems.add(new Violation(field, "must be true or false, was '" + value + "'"));
    }
    return text.equals("true");
  }
}
