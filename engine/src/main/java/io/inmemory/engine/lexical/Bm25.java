package io.inmemory.engine.lexical;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import java.util.List;

/**
 * The two parameters of Okapi BM25. Immutable.
 *
 * @param k1 how quickly repeats of a term stop adding to the score; 0 counts presence only
 * @param b how much a long text's score is lowered, from 0 (not at all) to 1 (in proportion to
 *     its length over the average)
 */
public record Bm25(double k1, double b) {

  /** BM25's k1: how quickly repeats of a word stop adding to a memory's lexical score. */
  public static final ConfigKey<Double> K1 = ConfigKey.decimal(
      "inmemory.retrieval.bm25-k1", 1.2, 0, 10,
      "BM25 k1, term-frequency saturation, from 0 to 10 (default 1.2).");

  /** BM25's b: how much a long memory's lexical score is lowered for its length. */
  public static final ConfigKey<Double> B = ConfigKey.decimal(
      "inmemory.retrieval.bm25-b", 0.3, 0, 1,
      "BM25 b, length normalization, from 0 (none) to 1 (default 0.3).");

  public Bm25 {
    if (!(k1 >= 0 && k1 <= 10)) {
      throw new IllegalArgumentException("k1 must be between 0 and 10, was " + k1);
    }
    if (!(b >= 0 && b <= 1)) {
      throw new IllegalArgumentException("b must be between 0 and 1, was " + b);
    }
  }

  /** The parameters {@code config} gives. */
  public static Bm25 from(InMemoryConfig config) {
    return new Bm25(config.get(K1), config.get(B));
  }

  /** The keys {@link #from} reads, in the order configuration errors list them. */
  public static List<ConfigKey<?>> keys() {
    return List.of(K1, B);
  }
}
