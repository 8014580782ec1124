package io.inmemory;

import java.util.Objects;

/**
 * One search result.
 *
 * @param memory the memory found
 * @param score its relevance; see {@link SearchResult.Ranking} for what the number means
 */
public record SearchHit(MemoryRecord memory, double score) {
  public SearchHit {
    Objects.requireNonNull(memory, "memory");
  }
}
