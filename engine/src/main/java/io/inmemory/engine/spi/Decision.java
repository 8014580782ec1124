package io.inmemory.engine.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to do with one fact of a {@link ReconciliationInput}. Immutable. The engine checks the
 * decisions against the input (each fact decided once, refs among the candidates) and treats a
 * decision it cannot apply as a malformed answer.
 *
 * @param fact the fact's index in {@link ReconciliationInput#facts()}, not negative
 * @param action what to do
 * @param ref the candidate concerned for {@link Action#NONE} (optional), {@link Action#UPDATE} and
 *     {@link Action#SUPERSEDE} (required); {@code null} for {@link Action#ADD}
 * @param content the text to store for {@link Action#UPDATE} (the merged fact), or {@code null}
 *     to store the fact as extracted
 */
public record Decision(int fact, Action action, @Nullable String ref, @Nullable String content) {

  public Decision {
    if (fact < 0) {
      throw new IllegalArgumentException("fact index is not negative: " + fact);
    }
    Objects.requireNonNull(action, "action");
    if ((action == Action.UPDATE || action == Action.SUPERSEDE) && ref == null) {
      throw new IllegalArgumentException(action + " needs the ref of the memory it changes");
    }
    if (action == Action.ADD && ref != null) {
      throw new IllegalArgumentException("ADD concerns no existing memory, but names " + ref);
    }
  }
}
