package io.inmemory.engine.retrieval;

/**
 * How a search with a query finds and orders memories. Engine-internal; thread-safe (an enum).
 * Never null where a mode is expected.
 */
public enum RetrievalMode {
  /** By embedding similarity alone: scores are cosine similarities. */
  DENSE,
  /** By BM25 over the words of the content alone. */
  LEXICAL,
  /** Dense and lexical candidates, fused into one ranking. */
  HYBRID
}
