package io.inmemory.server;

import static io.inmemory.wire.Schemas.array;
import static io.inmemory.wire.Schemas.nullable;
import static io.inmemory.wire.Schemas.object;
import static io.inmemory.wire.Schemas.ref;
import static io.inmemory.wire.Schemas.str;

import io.inmemory.InvalidRequestException;
import io.inmemory.engine.Memory;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.PartitionSummary;
import io.inmemory.server.Route.Access;
import io.inmemory.server.Route.Param;
import io.inmemory.wire.Member;
import io.inmemory.wire.MemoryJson;
import io.inmemory.wire.ResultJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /v1/users} and {@code GET /v1/agents}: the users of the caller's project that hold
 * memories, and the agents holding memories of their own, each with its count of memories
 * (current and superseded) and the newest one's creation time, in id order, one keyset page at a
 * time ({@code after} = the last id seen; {@code next_after} is null on the last page). Read from
 * the store by {@link Memory#partitions}, so listing loads no partition. No total: counting a
 * project's owners would read all of them. Stateless and thread-safe.
 */
final class PartitionRoutes {
  static final int DEFAULT_LIMIT = 50;
  /** Below the store's limit, as one more summary than asked tells whether a page follows. */
  static final int MAX_LIMIT = 500;
  static final Member USERS = new Member("users", array(ref("UserSummary")));
  static final Member AGENTS = new Member("agents", array(ref("AgentSummary")));
  static final Member NEXT_AFTER = new Member("next_after", "nextAfter", nullable("string"));
  private static final Param LIMIT = new Param("limit", "integer", false,
      "Page size, 1 to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ").");

  private final Memory memory;

  PartitionRoutes(Memory memory) {
    this.memory = memory;
  }

  List<Route> routes() {
    return List.of(
        new Route("GET", "/v1/users", "listUsers",
            "The users of the project holding memories, by id, with their counts; one page.",
            "users", Access.READ, List.of(LIMIT, after("user")), null, 200, "UserList",
            call -> page(call, false)),
        new Route("GET", "/v1/agents", "listAgents",
            "The agents holding memories of their own, by id, with their counts; one page.",
            "users", Access.READ, List.of(LIMIT, after("agent")), null, 200, "AgentList",
            call -> page(call, true)));
  }

  private static Param after(String owner) {
    return new Param("after", "string", false,
        "The last " + owner + " id of the previous page (its next_after); none for the first.");
  }

  private Map<String, Object> page(Call call, boolean agents) {
    List<InvalidRequestException.Violation> problems = new ArrayList<>();
    Integer asked = call.queryInt(LIMIT.name(), "limit", problems);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    int limit = asked == null ? DEFAULT_LIMIT : asked;
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidRequestException("limit",
          "must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    String after = call.query("after");
    // users' owners sort before every agent's (PartitionKey.AGENT_PREFIX): a users' page ends at
    // the first agent, an agents' page starts after the prefix
    String from = agents ? PartitionKey.AGENT_PREFIX + (after == null ? "" : after) : after;
    Function<PartitionKey, @Nullable String> id = agents ? PartitionKey::agentId
        : PartitionKey::userId;
    List<Map<String, Object>> owners = new ArrayList<>();
    String nextAfter = null;
    for (PartitionSummary summary : memory.namespace(call.project()).partitions(from,
        limit + 1)) {
      String owner = id.apply(summary.partition());
      if (owner == null) {
        break;
      }
      if (owners.size() == limit) {
        nextAfter = (String) owners.get(limit - 1).get(idMember(agents).name());
        break;
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put(idMember(agents).name(), owner);
      json.put(ResultJson.MEMORY_COUNT.name(), summary.memories());
      json.put(ResultJson.LAST_CREATED_AT.name(), summary.lastCreated().toString());
      owners.add(json);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put((agents ? AGENTS : USERS).name(), owners);
    json.put(NEXT_AFTER.name(), nextAfter);
    return json;
  }

  private static Member idMember(boolean agents) {
    return agents ? MemoryJson.AGENT_ID : MemoryJson.USER_ID;
  }

  /** The schemas of the listings, by name. */
  static Map<String, Object> schemas() {
    Map<String, Object> s = new LinkedHashMap<>();
    Member lastCreated = ResultJson.LAST_CREATED_AT.withSchema(str());
    for (boolean agents : new boolean[] {false, true}) {
      Member id = idMember(agents);
      Member count = ResultJson.MEMORY_COUNT;
      s.put(agents ? "AgentSummary" : "UserSummary",
          object(List.of(id, count, lastCreated), id, count, lastCreated));
      Member list = agents ? AGENTS : USERS;
      s.put(agents ? "AgentList" : "UserList",
          object(List.of(list, NEXT_AFTER), list, NEXT_AFTER));
    }
    return s;
  }
}
