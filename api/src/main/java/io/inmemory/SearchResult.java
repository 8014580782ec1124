package io.inmemory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The hits of a search, best first.
 *
 * @param hits the hits, at most the requested limit, best first
 * @param ranking how the hits were ordered and what their scores mean
 * @param timeRange the creation-time range the search was limited to (a resolved temporal phrase
 *     intersected with explicit bounds), or empty when none
 */
public record SearchResult(List<SearchHit> hits, Ranking ranking, Optional<TimeRange> timeRange) {
  public SearchResult {
    hits = List.copyOf(hits);
    Objects.requireNonNull(ranking, "ranking");
    Objects.requireNonNull(timeRange, "timeRange");
  }

  /** The memories of the hits, in order. */
  public List<MemoryRecord> memories() {
    return hits.stream().map(SearchHit::memory).toList();
  }

  public int size() {
    return hits.size();
  }

  public boolean isEmpty() {
    return hits.isEmpty();
  }

  /** How hits are ordered. */
  public enum Ranking {
    /**
     * By relevance to the query: scores are cosine similarities between the query's and the
     * memory's embeddings, in [-1, 1], higher is better.
     */
    RELEVANCE,
    /** No query was given: newest first, every score is 1. */
    RECENCY
  }
}
