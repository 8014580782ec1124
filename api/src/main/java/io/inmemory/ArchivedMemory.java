package io.inmemory;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One memory as an export holds it and a restore takes it back: a current memory with its
 * history, or the history alone of a deleted memory (a tombstone, {@code memory == null}).
 * Immutable; the history is an unmodifiable copy.
 *
 * <p>The constructor throws {@link InvalidRequestException} listing every problem: a live memory's
 * id and owner must be the memory's own; a history, when given, starts with {@link
 * HistoryEntry.Event#ADD} and every entry names this id and owner; a tombstone has a history that
 * ends with {@link HistoryEntry.Event#DELETE} (and nothing after it), and no embedding. A live
 * memory's history may be empty (an export without histories): a restore then records one ADD at
 * its creation time.
 *
 * @param memory the memory as stored, or {@code null} for a deleted memory
 * @param id the memory id
 * @param userId the owning user, or {@code null} for an agent's own memory
 * @param agentId the owning agent when {@code userId} is {@code null}; otherwise the agent that
 *     recorded it, or {@code null}
 * @param history every change, oldest first
 * @param embedding the memory's embedding, or {@code null} when not exported (always for a
 *     tombstone)
 */
public record ArchivedMemory(
    @Nullable MemoryRecord memory,
    String id,
    @Nullable String userId,
    @Nullable String agentId,
    List<HistoryEntry> history,
    @Nullable ArchivedEmbedding embedding) {

  public ArchivedMemory {
    Objects.requireNonNull(id, "id");
    history = List.copyOf(Objects.requireNonNull(history, "history"));
    Values values = Values.forRequest();
    if (userId == null && agentId == null) {
      values.add("userId", "is required (or agentId, for an agent's own memory)");
    }
    if (memory != null && (!memory.id().equals(id) || !Objects.equals(memory.userId(), userId)
        || !Objects.equals(memory.agentId(), agentId))) {
      values.add("memory", "must have the archived id, userId and agentId");
    }
    if (memory == null && embedding != null) {
      values.add("embedding", "a deleted memory has none");
    }
    if (memory == null && history.isEmpty()) {
      values.add("history", "a deleted memory's history is required");
    }
    if (!history.isEmpty() && history.get(0).event() != HistoryEntry.Event.ADD) {
      values.add("history", "must start with add");
    }
    for (int i = 0; i < history.size(); i++) {
      HistoryEntry entry = history.get(i);
      if (!entry.memoryId().equals(id) || !Objects.equals(entry.userId(), userId)
          || (userId == null && !Objects.equals(entry.agentId(), agentId))) {
        values.add("history", "entry " + (i + 1) + " belongs to another memory or owner");
      }
      boolean last = i == history.size() - 1;
      if (entry.event() == HistoryEntry.Event.DELETE && (memory != null || !last)) {
        values.add("history", "only a deleted memory's last entry is a delete");
      }
    }
    if (memory == null && !history.isEmpty()
        && history.get(history.size() - 1).event() != HistoryEntry.Event.DELETE) {
      values.add("history", "a deleted memory's history ends with delete");
    }
    values.throwIfAny();
  }

  /** A current memory with its history and, optionally, its embedding. */
  public static ArchivedMemory of(MemoryRecord memory, List<HistoryEntry> history,
      @Nullable ArchivedEmbedding embedding) {
    return new ArchivedMemory(memory, memory.id(), memory.userId(), memory.agentId(), history,
        embedding);
  }

  /** A deleted memory: its history alone, ending with the delete. */
  public static ArchivedMemory deleted(List<HistoryEntry> history) {
    HistoryEntry first = history.get(0);
    return new ArchivedMemory(null, first.memoryId(), first.userId(),
        first.userId() == null ? first.agentId() : null, history, null);
  }

  /** Whether this is a deleted memory's history. */
  public boolean isDeleted() {
    return memory == null;
  }

  /** The owner's scope: the user, or the agent for an agent's own memory. */
  public Scope owner() {
    return userId != null ? Scope.user(userId) : Scope.agent(Objects.requireNonNull(agentId));
  }
}
