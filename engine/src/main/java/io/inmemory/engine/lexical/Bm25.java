package io.inmemory.engine.lexical;

/**
 * The two parameters of Okapi BM25. Immutable.
 *
 * <p>Arguments must not be null.
 *
 * @param k1 how quickly repeats of a term stop adding to the score; 0 counts presence only
 * @param b how much a long text's score is lowered, from 0 (not at all) to 1 (in proportion to
 *     its length over the average)
 */
public record Bm25(double k1, double b) {

  public Bm25 {
    if (!(k1 >= 0 && k1 <= 10)) {
      throw new IllegalArgumentException("k1 must be between 0 and 10, was " + k1);
    }
    if (!(b >= 0 && b <= 1)) {
      throw new IllegalArgumentException("b must be between 0 and 1, was " + b);
    }
  }
}
