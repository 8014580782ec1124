package io.inmemory;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One change to a memory. Every add, update and delete is recorded; history outlives the memory,
 * so a deleted memory's history still ends with its {@link Event#DELETE} entry.
 *
 * @param memoryId the memory changed
 * @param userId its owner
 * @param event what happened
 * @param previousContent the content before the change, or {@code null} for an add
 * @param newContent the content after the change, or {@code null} for a delete; an update that
 *     changes only tags, people, topic or metadata has equal previous and new content
 * @param at when it happened, millisecond precision
 */
public record HistoryEntry(
    String memoryId,
    String userId,
    Event event,
    @Nullable String previousContent,
    @Nullable String newContent,
    Instant at) {

  public HistoryEntry {
    Objects.requireNonNull(memoryId, "memoryId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(at, "at");
    at = Values.millis(at);
  }

  /** Kinds of change. */
  public enum Event {
    ADD,
    UPDATE,
    DELETE
  }
}
