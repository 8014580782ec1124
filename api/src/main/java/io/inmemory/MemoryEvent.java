package io.inmemory;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an add did with one fact: the memory as it now stands and, for an update or a supersede,
 * what it replaced. Immutable.
 *
 * @param type what happened
 * @param memory for {@link EventType#ADD}, {@link EventType#UPDATE} and
 *     {@link EventType#SUPERSEDE} the memory written; for {@link EventType#NONE} the existing
 *     memory that already held the fact
 * @param previousId for {@link EventType#SUPERSEDE} the id of the memory no longer current; for
 *     {@link EventType#UPDATE} the memory's own id; otherwise {@code null}
 * @param previousContent the replaced content for {@link EventType#UPDATE} and
 *     {@link EventType#SUPERSEDE}; otherwise {@code null}
 */
public record MemoryEvent(
    EventType type, MemoryRecord memory, @Nullable String previousId,
    @Nullable String previousContent) {

  public MemoryEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(memory, "memory");
    boolean replaces = type == EventType.UPDATE || type == EventType.SUPERSEDE;
    if (replaces != (previousId != null)) {
      throw new IllegalArgumentException(type + (replaces ? " needs" : " has no") + " previousId");
    }
    if (!replaces && previousContent != null) {
      throw new IllegalArgumentException(type + " has no previousContent");
    }
  }

  /** A new memory. */
  public static MemoryEvent added(MemoryRecord memory) {
    return new MemoryEvent(EventType.ADD, memory, null, null);
  }

  /** Nothing new: {@code existing} already held the fact. */
  public static MemoryEvent unchanged(MemoryRecord existing) {
    return new MemoryEvent(EventType.NONE, existing, null, null);
  }
}
