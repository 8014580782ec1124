package io.inmemory.engine.spi;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One fact a model found in a conversation. Immutable; the lists are unmodifiable copies.
 *
 * @param content the fact as one self-contained sentence; not blank
 * @param people people the fact is about; possibly empty
 * @param topic a topic, or {@code null}
 * @param tags tags; possibly empty
 * @param when the time the fact refers to as the model wrote it ("last month"), or {@code null};
 *     the engine resolves it
 * @param sources the indexes in {@link ExtractionInput#messages()} the fact comes from; not
 *     negative
 */
public record Fact(String content, List<String> people, @Nullable String topic,
    List<String> tags, @Nullable String when, List<Integer> sources) {

  public Fact {
    Objects.requireNonNull(content, "content");
    if (content.isBlank()) {
      throw new IllegalArgumentException("a fact's content must not be blank");
    }
    people = List.copyOf(people);
    tags = List.copyOf(tags);
    sources = List.copyOf(sources);
    if (sources.stream().anyMatch(source -> source < 0)) {
      throw new IllegalArgumentException("message indexes are not negative: " + sources);
    }
  }
}
