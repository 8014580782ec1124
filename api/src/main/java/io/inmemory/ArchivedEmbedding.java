package io.inmemory;

import java.util.Arrays;
import java.util.Objects;

/**
 * A memory's embedding as exported, so that a restore into a store with the same embedder need not
 * compute it again. Immutable: the vector is copied in and out.
 *
 * @param embedderId the id of the embedder that computed it, such as {@code onnx:all-MiniLM-L6-v2}
 * @param vector the embedding; not empty, every component finite
 */
public record ArchivedEmbedding(String embedderId, float[] vector) {
  public ArchivedEmbedding {
    Objects.requireNonNull(embedderId, "embedderId");
    Objects.requireNonNull(vector, "vector");
    Values values = Values.forRequest();
    if (embedderId.isBlank()) {
      values.add("embedding.embedderId", "must not be blank");
    }
    if (vector.length == 0) {
      values.add("embedding.vector", "must not be empty");
    }
    for (float component : vector) {
      if (!Float.isFinite(component)) {
        values.add("embedding.vector", "must hold finite numbers only");
        break;
      }
    }
    values.throwIfAny();
    vector = vector.clone();
  }

  /** A copy of the vector. */
  @Override
  public float[] vector() {
    return vector.clone();
  }

  /** The number of components. */
  public int dimensions() {
    return vector.length;
  }

  /** Whether an embedder of {@code id} and {@code dimensions} computed vectors like this one. */
  public boolean matches(String id, int dimensions) {
    return embedderId.equals(id) && vector.length == dimensions;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ArchivedEmbedding that && embedderId.equals(that.embedderId)
        && Arrays.equals(vector, that.vector);
  }

  @Override
  public int hashCode() {
    return 31 * embedderId.hashCode() + Arrays.hashCode(vector);
  }

  @Override
  public String toString() {
    return "ArchivedEmbedding[embedderId=" + embedderId + ", dimensions=" + vector.length + "]";
  }
}
