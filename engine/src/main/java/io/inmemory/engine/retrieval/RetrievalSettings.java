package io.inmemory.engine.retrieval;

import io.inmemory.SearchResult;
import io.inmemory.engine.lexical.Bm25;
import java.util.Objects;

/**
 * How searches with a query retrieve and rank memories. Engine-internal, not API. Immutable.
 *
 * <p>Components must not be null.
 *
 * @param mode dense, lexical or hybrid
 * @param fusion how hybrid combines the two sides
 * @param lexicalWeight the lexical side's share in hybrid, in [0, 1]; the dense side has the rest
 * @param rankConstant reciprocal-rank fusion's k: a hit at rank r counts {@code 1 / (k + r)}
 * @param candidates how many hits each side contributes to hybrid fusion (at least the limit)
 * @param bm25 the lexical scoring parameters
 */
public record RetrievalSettings(RetrievalMode mode, Fusion fusion, double lexicalWeight,
    int rankConstant, int candidates, Bm25 bm25) {

  public RetrievalSettings {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(fusion, "fusion");
    if (!(lexicalWeight >= 0 && lexicalWeight <= 1)) {
      throw new IllegalArgumentException("lexicalWeight must be between 0 and 1, was "
          + lexicalWeight);
    }
    if (rankConstant < 0) {
      throw new IllegalArgumentException("rankConstant must not be negative, was " + rankConstant);
    }
    if (candidates < 1) {
      throw new IllegalArgumentException("candidates must be positive, was " + candidates);
    }
    Objects.requireNonNull(bm25, "bm25");
  }

  /** Whether searches need the lexical index. */
  public boolean lexical() {
    return mode != RetrievalMode.DENSE;
  }

  /** Whether searches need the query's embedding. */
  public boolean dense() {
    return mode != RetrievalMode.LEXICAL;
  }

  /** What the scores of a search with a query mean. */
  public SearchResult.Ranking ranking() {
    return switch (mode) {
      case DENSE -> SearchResult.Ranking.RELEVANCE;
      case LEXICAL -> SearchResult.Ranking.LEXICAL;
      case HYBRID -> fusion == Fusion.BOOST
          ? SearchResult.Ranking.RELEVANCE : SearchResult.Ranking.FUSED;
    };
  }
}
