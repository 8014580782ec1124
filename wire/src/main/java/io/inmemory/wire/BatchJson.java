package io.inmemory.wire;

import static io.inmemory.wire.Answers.list;
import static io.inmemory.wire.Answers.member;
import static io.inmemory.wire.Answers.optionalString;
import static io.inmemory.wire.Schemas.array;
import static io.inmemory.wire.Schemas.integer;
import static io.inmemory.wire.Schemas.object;
import static io.inmemory.wire.Schemas.ref;
import static io.inmemory.wire.Schemas.str;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.BatchDelete;
import io.inmemory.BatchItemResult;
import io.inmemory.BatchUpdate;
import io.inmemory.InMemoryException;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.UpdateRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The batch update and delete endpoints' bodies and answers. A request is
 * {@code {"user_id"?, "agent_id"?, "memories": [{"memory_id", scope members?, changes...}]}}, each
 * item's scope defaulting to the top-level one; an answer is {@code {"results": [{"memory_id",
 * "status", "memory"?, "problem"?}], "succeeded", "failed"}}, {@code status} being the HTTP status
 * the single call would have answered and {@code problem} its problem document. Stateless and
 * thread-safe; {@link Parsed} is an immutable value.
 */
public final class BatchJson {
  public static final Member MEMORY_ID = ResultJson.MEMORY_ID;
  /** The items; violations about the list as a whole name the field {@code items}. */
  public static final Member UPDATES = new Member("memories", "items",
      array(ref("BatchUpdateItem")));
  public static final Member DELETES = new Member("memories", "items",
      array(ref("BatchDeleteItem")));
  public static final Member STATUS = new Member("status", integer());
  public static final Member PROBLEM = new Member("problem", ref("Problem"));
  public static final Member MEMORY = new Member("memory", ref("Memory"));
  public static final Member RESULTS = new Member("results", array(object(
      List.of(MEMORY_ID, STATUS), MEMORY_ID, STATUS, MEMORY, PROBLEM)));
  public static final Member SUCCEEDED = new Member("succeeded", integer());
  public static final Member FAILED = new Member("failed", integer());

  private BatchJson() {}

  /** The named schemas of the batch bodies and answer, for the OpenAPI document. */
  static Map<String, Object> schemas() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("BatchUpdateItem", object(List.of(MEMORY_ID), MEMORY_ID, MemoryJson.USER_ID,
        MemoryJson.AGENT_ID, MemoryJson.SESSION_ID, MemoryJson.CONTENT, LabelsJson.TAGS_IN,
        LabelsJson.PEOPLE_IN, RequestJson.TOPIC_CHANGE, LabelsJson.METADATA));
    s.put("BatchDeleteItem", object(List.of(MEMORY_ID), MEMORY_ID, MemoryJson.USER_ID,
        MemoryJson.AGENT_ID, MemoryJson.SESSION_ID));
    s.put("UpdateMemoriesRequest", object(List.of(UPDATES), MemoryJson.USER_ID,
        MemoryJson.AGENT_ID, UPDATES));
    s.put("DeleteMemoriesRequest", object(List.of(DELETES), MemoryJson.USER_ID,
        MemoryJson.AGENT_ID, DELETES));
    s.put("BatchResults", object(List.of(RESULTS, SUCCEEDED, FAILED), RESULTS, SUCCEEDED,
        FAILED));
    return s;
  }

  // ------------------------------------------------------------------ the client writes

  public static Map<String, Object> writeUpdates(List<BatchUpdate> updates) {
    return Map.of(UPDATES.name(), updates.stream().map(update -> {
      Map<String, Object> json = item(update.memoryId(), update.scope());
      json.putAll(RequestJson.write(update.request()));
      return json;
    }).toList());
  }

  public static Map<String, Object> writeDeletes(List<BatchDelete> deletes) {
    return Map.of(DELETES.name(), deletes.stream()
        .map(delete -> item(delete.memoryId(), delete.scope())).toList());
  }

  private static Map<String, Object> item(String memoryId, Scope scope) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(MEMORY_ID.name(), memoryId);
    json.put(MemoryJson.USER_ID.name(), scope.userId());
    json.put(MemoryJson.AGENT_ID.name(), scope.agentId());
    json.put(MemoryJson.SESSION_ID.name(), scope.sessionId());
    return json;
  }

  // ------------------------------------------------------------------ the server reads

  /**
   * One item of a batch as read: the change, or why it is invalid.
   *
   * @param memoryId the item's memory id, or {@code null} when it gives none
   * @param item the change, or {@code null} when the item is invalid
   * @param invalid why the item is invalid, or {@code null}
   */
  public record Parsed<T>(@Nullable String memoryId, @Nullable T item,
      @Nullable InvalidRequestException invalid) {
    public Parsed {
      if ((item == null) == (invalid == null)) {
        throw new IllegalArgumentException("an item is read or invalid");
      }
    }
  }

  /**
   * The items of a batch update, each read alone (a bad item does not spoil the others).
   *
   * @param checkSize checks the number of items before any is read
   * @throws InvalidRequestException when the body itself is wrong: no list of objects, unknown
   *     top-level members, a bad top-level scope member
   */
  public static List<Parsed<BatchUpdate>> updates(JsonBody body, IntConsumer checkSize) {
    return items(body, UPDATES, checkSize, (item, memoryId, scope) -> {
      UpdateRequest request = RequestJson.update(item);
      return new BatchUpdate(memoryId, scope, request);
    });
  }

  /** The items of a batch delete; see {@link #updates}. */
  public static List<Parsed<BatchDelete>> deletes(JsonBody body, IntConsumer checkSize) {
    return items(body, DELETES, checkSize,
        (item, memoryId, scope) -> item.build(() -> scope == null ? null
            : new BatchDelete(memoryId, scope)));
  }

  /** Reads an item's change once its id and scope are read. */
  private interface ItemReader<T> {
    T read(JsonBody item, String memoryId, Scope scope);
  }

  private static <T> List<Parsed<T>> items(JsonBody body, Member member, IntConsumer checkSize,
      ItemReader<T> reader) {
    String userId = body.string(MemoryJson.USER_ID);
    String agentId = body.string(MemoryJson.AGENT_ID);
    List<ObjectNode> nodes = body.objects(member);
    if (nodes == null && !body.has(member)) {
      body.invalid(member.field(), "is required: a list of memories");
    }
    body.build(() -> null);
    checkSize.accept(nodes.size());
    List<Parsed<T>> parsed = new ArrayList<>(nodes.size());
    for (ObjectNode node : nodes) {
      JsonBody item = JsonBody.of(node);
      String memoryId = item.string(MEMORY_ID);
      try {
        String itemUser = item.string(MemoryJson.USER_ID);
        String itemAgent = item.string(MemoryJson.AGENT_ID);
        String session = item.string(MemoryJson.SESSION_ID);
        boolean own = itemUser != null || itemAgent != null;
        Scope scope = scope(item, own ? itemUser : userId, own ? itemAgent : agentId, session);
        if (memoryId == null) {
          item.invalid(MEMORY_ID.field(), "is required");
        }
        T read = reader.read(item, Objects.requireNonNullElse(memoryId, ""), scope);
        item.build(() -> null);
        parsed.add(new Parsed<>(memoryId, read, null));
      } catch (InvalidRequestException e) {
        parsed.add(new Parsed<>(memoryId, null, e));
      }
    }
    return parsed;
  }

  /** The item's scope, or {@code null} with its problems recorded in {@code item}. */
  private static @Nullable Scope scope(JsonBody item, @Nullable String userId,
      @Nullable String agentId, @Nullable String sessionId) {
    try {
      return new Scope(userId, agentId, sessionId);
    } catch (InvalidRequestException e) {
      e.violations().forEach(v -> item.invalid(v.field(), v.problem()));
      return null;
    }
  }

  // ------------------------------------------------------------------ the server writes

  /**
   * One item's result.
   *
   * @param memoryId the item's memory id, or {@code null} when it gave none
   * @param status the HTTP status the single call would have answered
   * @param memory the memory as updated, or {@code null}
   * @param problem the problem document, or {@code null} on success
   */
  public static Map<String, Object> result(@Nullable String memoryId, int status,
      @Nullable MemoryRecord memory, @Nullable Map<String, Object> problem) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(MEMORY_ID.name(), memoryId);
    json.put(STATUS.name(), status);
    if (memory != null) {
      json.put(MEMORY.name(), MemoryJson.write(memory));
    }
    if (problem != null) {
      json.put(PROBLEM.name(), problem);
    }
    return json;
  }

  /** The answer: the items' results in order, and how many succeeded and failed. */
  public static Map<String, Object> results(List<Map<String, Object>> results) {
    long succeeded = results.stream()
        .filter(result -> ((Integer) result.get(STATUS.name())) / 100 == 2).count();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(RESULTS.name(), results);
    json.put(SUCCEEDED.name(), succeeded);
    json.put(FAILED.name(), results.size() - succeeded);
    return json;
  }

  // ------------------------------------------------------------------ the client reads

  /**
   * The items' results; a successful one has status {@code success} (with the memory, for an
   * update), a failed one the exception its problem document maps to.
   */
  public static List<BatchItemResult> readResults(JsonNode json, BatchItemResult.Status success) {
    return list(member(json, RESULTS), result -> {
      String memoryId = Objects.requireNonNullElse(optionalString(result, MEMORY_ID), "");
      int status = member(result, STATUS).asInt();
      if (status / 100 == 2) {
        JsonNode memory = result.get(MEMORY.name());
        return new BatchItemResult(memoryId, success,
            memory == null ? null : MemoryJson.read(memory), null);
      }
      InMemoryException error = ProblemJson.toException(status, member(result, PROBLEM),
          Optional.empty());
      return BatchItemResult.failed(memoryId, error);
    });
  }
}
