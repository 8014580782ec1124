package io.inmemory.engine.extraction;

import io.inmemory.engine.spi.Fact;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A fact as the model found it, with the time it holds from and what the engine records beside
 * it. Immutable.
 *
 * @param fact the model's fact, checked
 * @param validFrom since when the fact holds: its {@code when} resolved against the time of the
 *     messages it comes from, else that time
 * @param metadata what the memory records about the fact's origin ({@code when_text} for a time
 *     phrase that could not be resolved, {@code source_message_ids}); possibly empty
 */
public record TimedFact(Fact fact, Instant validFrom, Map<String, Object> metadata) {

  public TimedFact {
    Objects.requireNonNull(fact, "fact");
    Objects.requireNonNull(validFrom, "validFrom");
    metadata = Map.copyOf(metadata);
  }

  /** The fact's text. */
  public String content() {
    return fact.content();
  }
}
