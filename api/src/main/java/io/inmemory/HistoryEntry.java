package io.inmemory;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One change to a memory. Every add, update and delete is recorded; history outlives the memory,
 * so a deleted memory's history still ends with its {@link Event#DELETE} entry.
 *
 * @param memoryId the memory changed
 * @param userId its owning user, or {@code null} for an agent's own memory
 * @param event what happened
 * @param previousContent the content before the change, or {@code null} for an add
 * @param newContent the content after the change, or {@code null} for a delete; an update that
 *     changes only tags, people, topic or metadata has equal previous and new content
 * @param at when it happened, millisecond precision
 * @param agentId the owning agent when the memory is an agent's own; otherwise the agent that
 *     recorded the memory, for display; or {@code null}
 * @param relatedId for {@link Event#SUPERSEDE} the successor's id; for the {@link Event#ADD} of a
 *     successor the id of the memory it superseded; otherwise {@code null}
 */
public record HistoryEntry(
    String memoryId,
    @Nullable String userId,
    Event event,
    @Nullable String previousContent,
    @Nullable String newContent,
    Instant at,
    @Nullable String agentId,
    @Nullable String relatedId) {

  public HistoryEntry {
    Objects.requireNonNull(memoryId, "memoryId");
    if (userId == null && agentId == null) {
      throw new NullPointerException("userId (or agentId, for an agent's own memory)");
    }
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(at, "at");
    at = Values.millis(at);
  }

  /** A change of a user's memory, with no agent and no related memory. */
  public HistoryEntry(String memoryId, String userId, Event event,
      @Nullable String previousContent, @Nullable String newContent, Instant at) {
    this(memoryId, Objects.requireNonNull(userId, "userId"), event, previousContent, newContent,
        at, null, null);
  }

  /**
   * Kinds of change. {@link #SUPERSEDE}: a newer fact replaced the memory, which is kept as no
   * longer current ({@code relatedId} names the successor).
   */
  public enum Event {
    ADD,
    UPDATE,
    DELETE,
    SUPERSEDE
  }
}
