package io.inmemory.engine.spi;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A memory the scope already holds, shown to the model for reconciliation under a short reference
 * instead of its id (so a model can neither invent nor leak ids). Immutable.
 *
 * @param ref the reference, {@code m1} to {@code mN}
 * @param content the memory's content
 * @param topic its topic, or {@code null}
 * @param validFrom since when it holds
 */
public record Candidate(String ref, String content, @Nullable String topic, Instant validFrom) {

  public Candidate {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(validFrom, "validFrom");
  }
}
