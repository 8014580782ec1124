package io.inmemory;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a restore did with one archived memory. Immutable.
 *
 * @param memoryId the archived memory's id
 * @param outcome what happened
 * @param problem why, for {@link Outcome#CONFLICT}, {@link Outcome#INVALID} and
 *     {@link Outcome#FAILED}; {@code null} otherwise
 */
public record RestoreResult(String memoryId, Outcome outcome, @Nullable String problem) {
  public RestoreResult {
    Objects.requireNonNull(memoryId, "memoryId");
    Objects.requireNonNull(outcome, "outcome");
    if (outcome.succeeded() != (problem == null)) {
      throw new IllegalArgumentException(outcome + (outcome.succeeded()
          ? " has no problem" : " needs a problem"));
    }
  }

  /** A result without a problem. */
  public static RestoreResult of(String memoryId, Outcome outcome) {
    return new RestoreResult(memoryId, outcome, null);
  }

  /** What a restore did with one archived memory. */
  public enum Outcome {
    /** Stored: the store did not hold the id. */
    RESTORED,
    /** The store already held the same memory and history: nothing done (a re-run). */
    UNCHANGED,
    /** A deleted memory's restore that an earlier run left half-done was finished. */
    COMPLETED,
    /** The store holds another memory or history under the id: left as it was. */
    CONFLICT,
    /** The archived memory breaks a limit or rule of the store: nothing stored. */
    INVALID,
    /** The store failed: nothing stored for it; running again may succeed. */
    FAILED;

    /** Whether the store now holds the archived memory. */
    public boolean succeeded() {
      return this == RESTORED || this == UNCHANGED || this == COMPLETED;
    }
  }
}
