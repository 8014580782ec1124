package io.inmemory;

import java.util.Objects;

/**
 * The outcome of an add: the memory as stored, with its new id and timestamps.
 *
 * @param memory the stored memory
 */
public record AddResult(MemoryRecord memory) {
  public AddResult {
    Objects.requireNonNull(memory, "memory");
  }

  /** The new memory's id. */
  public String id() {
    return memory.id();
  }
}
