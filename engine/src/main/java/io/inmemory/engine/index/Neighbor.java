package io.inmemory.engine.index;

import java.util.Objects;

/**
 * One search hit of a {@link VectorIndex}: the id of a stored vector and its score, the dot
 * product with the query (the cosine similarity when both are unit length). Immutable.
 * Engine-internal, not API.
 *
 * @param id the id the vector was stored under
 * @param score dot product of the stored vector and the query; higher is closer
 */
public record Neighbor(String id, float score) {

  public Neighbor {
    Objects.requireNonNull(id, "id");
  }
}
