package io.inmemory.cli;

import io.inmemory.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Tags, people, topic and metadata, as {@code add} records them and {@code search} filters by
 * them: a picocli mixin; not thread-safe. A metadata value is a JSON number, {@code true} or
 * {@code false} when it reads as one ({@code --meta price=3}), else the text as given, so a
 * search finds what an add with the same option stored.
 */
final class LabelOptions {
  @Option(names = {"-t", "--tag"}, paramLabel = "TAG", description = "A tag (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = {"-p", "--person"}, paramLabel = "NAME",
      description = "A person mentioned (repeatable).")
  List<String> people = new ArrayList<>();

  @Option(names = "--topic", paramLabel = "TOPIC", description = "The topic category.")
  @Nullable String topic;

  @Option(names = {"-m", "--meta"}, paramLabel = "KEY=VALUE",
      description = "A metadata entry (repeatable); numbers and true/false are typed.")
  Map<String, String> metadata = new LinkedHashMap<>();

  /** Sets the given labels on {@code builder}; those not given are left as they are. */
  <B extends Labels.Setters<B>> B applyTo(B builder) {
    if (!tags.isEmpty()) {
      builder.tags(tags);
    }
    if (!people.isEmpty()) {
      builder.people(people);
    }
    if (topic != null) {
      builder.topic(topic);
    }
    if (!metadata.isEmpty()) {
      builder.metadata(typedMetadata());
    }
    return builder;
  }

  Map<String, Object> typedMetadata() {
    Map<String, Object> typed = new LinkedHashMap<>();
    metadata.forEach((key, value) -> typed.put(key, Json.scalar(value)));
    return typed;
  }
}
