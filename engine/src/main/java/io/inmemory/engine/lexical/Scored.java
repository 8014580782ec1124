package io.inmemory.engine.lexical;

import java.util.Comparator;
import java.util.Objects;

/**
 * An id with a score, higher is better. Engine-internal, not API.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param id the memory id
 * @param score the score; what it means depends on who made it
 */
public record Scored(String id, double score) {

  /** Highest score first; ties by smaller id, so rankings are deterministic. */
  public static final Comparator<Scored> BEST_FIRST =
      Comparator.comparingDouble((Scored s) -> -s.score()).thenComparing(Scored::id);

  public Scored {
    Objects.requireNonNull(id, "id");
  }
}
