package io.inmemory;

import java.util.Objects;

/**
 * The outcome of an add: the memory as stored, with its new id and timestamps, or — when the add
 * asked for de-duplication and the scope already held the same text — the existing memory.
 * Immutable.
 *
 * @param memory the stored memory, or the existing one for {@link EventType#NONE}
 * @param event {@link EventType#ADD} or {@link EventType#NONE}
 */
public record AddResult(MemoryRecord memory, EventType event) {
  public AddResult {
    Objects.requireNonNull(memory, "memory");
    if (event != EventType.ADD && event != EventType.NONE) {
      throw new IllegalArgumentException("an add is ADD or NONE, not " + event);
    }
  }

  /** A new memory. */
  public AddResult(MemoryRecord memory) {
    this(memory, EventType.ADD);
  }

  /** The new memory's id. */
  public String id() {
    return memory.id();
  }
}
