package io.inmemory;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of {@link MemoryClient#add(ConversationRequest)}. Immutable; the list is an
 * unmodifiable copy.
 *
 * @param events one event per memory made or matched, in message (or fact) order; empty when no
 *     message was remembered (all blank or of roles not asked for, or no fact found)
 * @param extracted whether a model extracted the facts ({@code false}: the messages were
 *     remembered as they are)
 * @param storedRaw whether extraction failed and the messages were remembered as they are, as
 *     {@link ConversationRequest#storeRawOnFailure()} asked
 * @param extractionError the failure's message when {@code storedRaw}, otherwise {@code null}
 */
public record ConversationResult(
    List<MemoryEvent> events, boolean extracted, boolean storedRaw,
    @Nullable String extractionError) {

  public ConversationResult {
    events = List.copyOf(Objects.requireNonNull(events, "events"));
    if (storedRaw == (extractionError == null)) {
      throw new IllegalArgumentException(
          "extractionError is given exactly when the messages were stored raw");
    }
    if (storedRaw && extracted) {
      throw new IllegalArgumentException("facts stored raw were not extracted");
    }
  }
}
