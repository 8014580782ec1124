package io.inmemory.engine.retrieval;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.SearchResult;
import io.inmemory.engine.lexical.Bm25;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How searches with a query retrieve and rank memories. Engine-internal, not API. Immutable.
 *
 * <p>The defaults were chosen on LoCoMo (turn recall@5/@10 over its 1,982 questions, the default
 * model, each session one conversation): lexical weight 0.6 without conversation context
 * 0.598/0.676; with the previous message's vector (context weight 0.5) and words, and neighbours
 * (neighbour weight 0.75), at lexical weight 0.7: 0.690/0.775. Over a grid of lexical weight
 * 0.5–0.9, context weight 0–0.75 and neighbour weight 0.5–1, the point best on one half of the
 * conversations scored 0.664/0.751 and 0.694/0.792 on the other half; the surface is flat
 * around the defaults (within 0.01). Tried and left out: the previous message in the embedded
 * text itself (as good, twice the tokens to embed), the next message's vector, and
 * pseudo-relevance feedback on the lexical side (lower recall).
 *
 * @param mode dense, lexical or hybrid
 * @param fusion how hybrid combines the two sides
 * @param lexicalWeight the lexical side's share in hybrid, in [0, 1]; the dense side has the rest
 * @param rankConstant reciprocal-rank fusion's k: a hit at rank r counts {@code 1 / (k + r)}
 * @param candidates how many hits each side contributes to hybrid fusion (at least the limit)
 * @param bm25 the lexical scoring parameters
 * @param contextWeight how much of the previous message's vector a message is scored with, from
 *     0 (none) to 1 (as much as its own); see {@link Ranker}; above 0 the partition also indexes
 *     the previous message's words with the message's
 * @param neighborWeight how far a message's score is raised toward its best neighbour's, from 0
 *     (not at all) to 1 (all the way)
 */
public record RetrievalSettings(RetrievalMode mode, Fusion fusion, double lexicalWeight,
    int rankConstant, int candidates, Bm25 bm25, double contextWeight, double neighborWeight) {

  /**
   * How searches with a query find memories: {@code dense} (embeddings), {@code lexical} (BM25
   * over words) or {@code hybrid} (both, fused; the default, measured best with every model).
   */
  public static final ConfigKey<RetrievalMode> MODE = ConfigKey.enumeration(
      "inmemory.retrieval.mode", RetrievalMode.class, RetrievalMode.HYBRID,
      "How searches with a query find memories: dense (embeddings only), lexical (BM25 over"
          + " words only) or hybrid (both, fused; default).");

  /** How hybrid retrieval fuses: {@code boost} (default), {@code rrf} or {@code linear}. */
  public static final ConfigKey<Fusion> FUSION = ConfigKey.enumeration(
      "inmemory.retrieval.fusion", Fusion.class, Fusion.BOOST,
      "How hybrid retrieval fuses: boost (default: the cosine similarity raised by matching"
          + " words, on the cosine scale), rrf (reciprocal-rank fusion) or linear (blend of"
          + " normalized scores).");

  /** The lexical side's share in hybrid fusion, from 0 (dense only) to 1. */
  public static final ConfigKey<Double> LEXICAL_WEIGHT = ConfigKey.decimal(
      "inmemory.retrieval.lexical-weight", 0.7, 0, 1,
      "The lexical side's weight in hybrid fusion, from 0 to 1 (default 0.7).");

  /** Reciprocal-rank fusion's rank constant k; used by the {@code rrf} fusion only. */
  public static final ConfigKey<Integer> RRF_K = ConfigKey.integer(
      "inmemory.retrieval.rrf-k", 60, 0, 100_000,
      "The rank constant k of reciprocal-rank fusion, 1/(k + rank); default 60.");

  /** How many hits each side contributes to hybrid fusion; at least the request's limit. */
  public static final ConfigKey<Integer> CANDIDATES = ConfigKey.integer(
      "inmemory.retrieval.candidates", 50, 1, 10_000,
      "How many hits each side of hybrid retrieval contributes to fusion (at least the"
          + " request's limit); default 50.");

  /**
   * How much of the vector of the message said just before a message (in a conversation
   * remembered without extraction) that message is scored with, from 0 to 1; above 0, the
   * previous message's words are also indexed with the message's own.
   */
  public static final ConfigKey<Double> CONTEXT_WEIGHT = ConfigKey.decimal(
      "inmemory.retrieval.context-weight", 0.5, 0, 1,
      "How much of the previous message's vector a message of a conversation is scored with,"
          + " from 0 (none) to 1 (as much as its own); above 0 the previous message's words"
          + " are also indexed with it; default 0.5.");

  /**
   * How far a message's score is raised toward that of the best of the messages said just
   * before and after it, from 0 to 1.
   */
  public static final ConfigKey<Double> NEIGHBOR_WEIGHT = ConfigKey.decimal(
      "inmemory.retrieval.neighbor-weight", 0.75, 0, 1,
      "How far a message's score is raised toward its best neighbouring message's in its"
          + " conversation, from 0 (not at all) to 1 (all the way); default 0.75.");

  public RetrievalSettings {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(fusion, "fusion");
    requireShare("lexicalWeight", lexicalWeight);
    if (rankConstant < 0) {
      throw new IllegalArgumentException("rankConstant must not be negative, was " + rankConstant);
    }
    if (candidates < 1) {
      throw new IllegalArgumentException("candidates must be positive, was " + candidates);
    }
    Objects.requireNonNull(bm25, "bm25");
    requireShare("contextWeight", contextWeight);
    requireShare("neighborWeight", neighborWeight);
  }

  private static void requireShare(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, was " + value);
    }
  }

  /** The settings without conversation context: the previous message and neighbours ignored. */
  public RetrievalSettings(RetrievalMode mode, Fusion fusion, double lexicalWeight,
      int rankConstant, int candidates, Bm25 bm25) {
    this(mode, fusion, lexicalWeight, rankConstant, candidates, bm25, 0, 0);
  }

  /** The settings {@code config} gives, {@link Bm25#from BM25's} included. */
  public static RetrievalSettings from(InMemoryConfig config) {
    return new RetrievalSettings(config.get(MODE), config.get(FUSION), config.get(LEXICAL_WEIGHT),
        config.get(RRF_K), config.get(CANDIDATES), Bm25.from(config), config.get(CONTEXT_WEIGHT),
        config.get(NEIGHBOR_WEIGHT));
  }

  /** The keys {@link #from} reads, in the order configuration errors list them. */
  public static List<ConfigKey<?>> keys() {
    List<ConfigKey<?>> keys = new ArrayList<>(List.of(MODE, FUSION, LEXICAL_WEIGHT, RRF_K,
        CANDIDATES, CONTEXT_WEIGHT, NEIGHBOR_WEIGHT));
    keys.addAll(Bm25.keys());
    return List.copyOf(keys);
  }

  /** Whether searches need the lexical index. */
  public boolean lexical() {
    return mode != RetrievalMode.DENSE;
  }

  /** Whether ranking reads the conversations memories were said in. */
  public boolean readsThreads() {
    return contextWeight > 0 || neighborWeight > 0;
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
