package io.inmemory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One stored memory, as every client returns it. Immutable; lists and maps are unmodifiable
 * copies. A memory belongs to a user ({@code userId}) or, when {@code userId} is {@code null}, to
 * the agent {@code agentId} itself; one of the two is always given.
 *
 * @param id the memory id, assigned on add
 * @param userId the owning user, exact (no case folding), or {@code null} for an agent's own
 *     memory
 * @param content the remembered text
 * @param tags trimmed, lower-cased, de-duplicated tags; empty when none
 * @param people people mentioned, case kept for display (matched case-insensitively); empty when
 *     none
 * @param topic lower-cased topic, or {@code null} when the memory has none
 * @param metadata JSON-compatible metadata (integers as {@code Long}, decimals as {@code Double});
 *     empty when none
 * @param createdAt when the memory was made (settable on add for imports), millisecond precision
 * @param updatedAt when it last changed, millisecond precision; equals {@code createdAt} until the
 *     first update
 * @param agentId the agent that recorded it (the owner when {@code userId} is {@code null}), or
 *     {@code null}
 * @param sessionId the session it came from, or {@code null}
 * @param role who said it, when it came from a conversation message; otherwise {@code null}
 * @param validFrom since when the fact holds; {@code createdAt} unless given, millisecond
 *     precision
 * @param invalidAt when a newer fact superseded it, or {@code null} while it is current
 * @param supersededBy the id of the memory that superseded it, or {@code null}
 */
public record MemoryRecord(
    String id,
    @Nullable String userId,
    String content,
    List<String> tags,
    List<String> people,
    @Nullable String topic,
    Map<String, Object> metadata,
    Instant createdAt,
    Instant updatedAt,
    @Nullable String agentId,
    @Nullable String sessionId,
    @Nullable Role role,
    Instant validFrom,
    @Nullable Instant invalidAt,
    @Nullable String supersededBy) {

  public MemoryRecord {
    Objects.requireNonNull(id, "id");
    if (userId == null && agentId == null) {
      throw new NullPointerException("userId (or agentId, for an agent's own memory)");
    }
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(validFrom, "validFrom");
    Labels labels = new Labels(tags, people, topic, metadata);
    tags = labels.tags();
    people = labels.people();
    topic = labels.topic();
    metadata = labels.metadata();
    createdAt = Values.millis(createdAt);
    updatedAt = Values.millis(updatedAt);
    validFrom = Values.millis(validFrom);
    invalidAt = Values.millis(invalidAt);
  }

  /**
   * A user's memory with no agent, session or role, valid from its creation and current: the
   * memories of issue 12 and before.
   */
  public MemoryRecord(String id, String userId, String content, List<String> tags,
      List<String> people, @Nullable String topic, Map<String, Object> metadata,
      Instant createdAt, Instant updatedAt) {
    this(id, Objects.requireNonNull(userId, "userId"), content, tags, people, topic, metadata,
        createdAt, updatedAt, null, null, null, Objects.requireNonNull(createdAt, "createdAt"),
        null, null);
  }

  /** Whose memory this is and where it came from. */
  public Scope scope() {
    return new Scope(userId, agentId, sessionId);
  }

  /** Whether no newer fact has superseded this memory. */
  public boolean isCurrent() {
    return invalidAt == null;
  }

  /** The tags, people, topic and metadata as one value. */
  public Labels labels() {
    return new Labels(tags, people, topic, metadata);
  }

  /** Whether {@code person} is mentioned, compared case-insensitively. */
  public boolean mentions(String person) {
    return Labels.mentions(people, person);
  }
}
