package io.inmemory.engine.spi;

import java.util.List;

/**
 * Turns text into unit-length vectors whose dot product measures similarity of meaning.
 *
 * <p>Queries and documents are embedded separately because some models (e5, bge) expect a
 * different prefix for each. Every returned vector has {@link #dimension()} components and unit
 * Euclidean length. Implementations are thread-safe; {@link #embedDocuments(List)} should batch.
 * A local embedder must not open network connections.
 */
public interface Embedder extends AutoCloseable {

  /**
   * A stable identifier of the model and its version, such as
   * {@code onnx:all-minilm-l6-v2-q:1}. Stored with every embedding: when it changes, stored
   * embeddings are recomputed rather than mixed with the new model's.
   */
  String id();

  /** The number of components of every vector. */
  int dimension();

  /** Embeds a search query. */
  float[] embedQuery(String text);

  /** Embeds texts to be stored, in order; one vector per text. */
  List<float[]> embedDocuments(List<String> texts);

  /** Releases native resources; idempotent. */
  @Override
  default void close() {}
}
