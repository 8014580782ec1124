package io.inmemory.engine.lexical;

import java.util.Locale;

/** How a search with a query finds and orders memories. Engine-internal; thread-safe. */
public enum RetrievalMode {
  /** By embedding similarity alone: scores are cosine similarities. */
  DENSE,
  /** By BM25 over the words of the content alone. */
  LEXICAL,
  /** Dense and lexical candidates, fused into one ranking. */
  HYBRID;

  /**
   * The mode named {@code value}, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static RetrievalMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + value + "' is not dense, lexical or hybrid");
    }
  }
}
