package io.inmemory;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a memory is labelled with besides its content, in the one normalized form that memories,
 * additions and search filters share: tags trimmed, lower-cased and de-duplicated in first-seen
 * order; people trimmed and de-duplicated case-insensitively, keeping the first spelling; the topic
 * trimmed and lower-cased; metadata deep-copied with only JSON-compatible values (integers as
 * {@code Long}, decimals as {@code Double}). A {@code null} list or map is taken as empty, a
 * {@code null} or blank topic as none. The constructor throws {@link InvalidRequestException}
 * listing every malformed value (blank tags or names, unsupported or null metadata values).
 * Immutable and thread-safe; lists and maps are unmodifiable copies.
 *
 * @param tags the tags; empty when none
 * @param people the people mentioned, case kept for display; empty when none
 * @param topic the topic, or {@code null} when none
 * @param metadata JSON-compatible metadata; empty when none
 */
public record Labels(
    List<String> tags, List<String> people, @Nullable String topic, Map<String, Object> metadata) {

  public Labels {
    Values values = new Values();
    tags = values.tags("tags", tags);
    people = values.people("people", people);
    topic = values.topic("topic", topic);
    metadata = values.metadata("metadata", metadata);
    values.throwIfAny();
  }

  /**
   * The labels of a request: their problems go to the request's {@code values}, with its rules
   * (a request's text must be well-formed Unicode), so that the request lists them with its
   * others, in field order.
   */
  static Normalized normalize(Values values, @Nullable List<String> tags,
      @Nullable List<String> people, @Nullable String topic, @Nullable Map<String, ?> metadata) {
    return new Normalized(values.tags("tags", tags), values.people("people", people),
        values.topic("topic", topic), values.metadata("metadata", metadata));
  }

  /**
   * Labels a request has just normalized, handed to it as they are: building a {@code Labels}
   * would copy them a second time, and a request is normalized before its sizes are checked, so
   * an oversized one would briefly take twice the heap.
   */
  record Normalized(List<String> tags, List<String> people, @Nullable String topic,
      Map<String, Object> metadata) {
  }

  /** Whether {@code person} is among the people, compared case-insensitively. */
  public boolean mentions(String person) {
    return mentions(people, person);
  }

  static boolean mentions(List<String> people, String person) {
    String key = Values.personKey(person);
    for (String mentioned : people) {
      if (Values.personKey(mentioned).equals(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The label setters of the request builders, written once. A builder's labels start at what its
   * request means by "not given": none for an addition or a search, unchanged for an update. Not
   * thread-safe; only this package's builders extend it.
   *
   * @param <B> the builder, which every setter returns so that calls chain
   */
  public abstract static class Setters<B extends Setters<B>> {
    private @Nullable List<String> tags;
    private @Nullable List<String> people;
    private @Nullable String topic;
    private @Nullable Map<String, ?> metadata;

    Setters(@Nullable List<String> tags, @Nullable List<String> people,
        @Nullable Map<String, ?> metadata) {
      this.tags = tags;
      this.people = people;
      this.metadata = metadata;
    }

    /** Sets the tags. */
    public B tags(@Nullable List<String> tags) {
      this.tags = tags;
      return self();
    }

    /** Sets the tags. */
    public B tags(String... tags) {
      return tags(List.of(tags));
    }

    /** Sets the people. */
    public B people(@Nullable List<String> people) {
      this.people = people;
      return self();
    }

    /** Sets the people. */
    public B people(String... people) {
      return people(List.of(people));
    }

    /** Sets the topic. */
    public B topic(@Nullable String topic) {
      this.topic = topic;
      return self();
    }

    /** Sets the metadata. */
    public B metadata(@Nullable Map<String, ?> metadata) {
      this.metadata = metadata;
      return self();
    }

    // Safe: the constructor is package-private and each builder of this package is its own B.
    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    @Nullable List<String> givenTags() {
      return tags;
    }

    @Nullable List<String> givenPeople() {
      return people;
    }

    @Nullable String givenTopic() {
      return topic;
    }

    // The request records copy metadata into a Map<String, Object> without writing to this one.
    @SuppressWarnings("unchecked")
    @Nullable Map<String, Object> givenMetadata() {
      return (Map<String, Object>) metadata;
    }
  }
}
