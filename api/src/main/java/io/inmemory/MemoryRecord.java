package io.inmemory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One stored memory, as every client returns it. Immutable; lists and maps are unmodifiable
 * copies.
 *
 * @param id the memory id, assigned on add
 * @param userId the owning user, exact (no case folding)
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
 */
public record MemoryRecord(
    String id,
    String userId,
    String content,
    List<String> tags,
    List<String> people,
    @Nullable String topic,
    Map<String, Object> metadata,
    Instant createdAt,
    Instant updatedAt) {

  public MemoryRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Labels labels = new Labels(tags, people, topic, metadata);
    tags = labels.tags();
    people = labels.people();
    topic = labels.topic();
    metadata = labels.metadata();
    createdAt = Values.millis(createdAt);
    updatedAt = Values.millis(updatedAt);
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
