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

  /**
   * How hits are ordered and what their scores mean. Every score is in [-1, 1], higher is better,
   * and a request's {@code threshold} is a lower bound on it.
   */
  public enum Ranking {
    /**
     * By relevance to the query on the cosine scale. With dense retrieval the score is the cosine
     * similarity between the query's and the memory's embeddings. With hybrid retrieval's
     * {@code boost} fusion (the local engine's default) it is that cosine raised towards 1 by the
     * memory's words matching the query's: never below the cosine, and equal to it when no query
     * word matches, so a threshold keeps at least every memory that similar by meaning.
     */
    RELEVANCE,
    /**
     * By the words the memory shares with the query (BM25), without embeddings: the score is the
     * BM25 score divided by the most the query could score, in [0, 1).
     */
    LEXICAL,
    /**
     * By a fusion of meaning and shared words that is not on the cosine scale (reciprocal-rank or
     * normalized-score fusion): the score, in [0, 1], orders the hits of one search but means
     * nothing outside it.
     */
    FUSED,
    /** No query was given: newest first, every score is 1. */
    RECENCY
  }
}
