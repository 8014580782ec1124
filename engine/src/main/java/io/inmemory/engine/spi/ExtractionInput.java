package io.inmemory.engine.spi;

import io.inmemory.Message;
import io.inmemory.Scope;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Extractor#extract} reads. Immutable; the lists are unmodifiable copies.
 *
 * @param messages the conversation, in order: the roles the request asked for, and system messages
 *     as context; not empty
 * @param scope whose memories the facts will be
 * @param referenceTime the instant relative dates ("yesterday") are read against
 * @param zone the time zone relative dates are read in
 * @param instructions the call's application instructions (the extractor adds its configured
 *     ones before them); possibly empty
 */
public record ExtractionInput(List<Message> messages, Scope scope, Instant referenceTime,
    ZoneId zone, List<String> instructions) {

  public ExtractionInput {
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("nothing to extract from: no messages");
    }
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(referenceTime, "referenceTime");
    Objects.requireNonNull(zone, "zone");
    instructions = List.copyOf(instructions);
  }
}
