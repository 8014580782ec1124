package io.inmemory;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Changes to a memory. Every field is optional: {@code null} leaves it unchanged. An empty list
 * clears tags or people, an empty map clears metadata, an empty topic clears the topic. At least
 * one field must be given. Changing the content re-embeds the memory. The labels given are
 * normalized as {@link Labels} does. The constructor throws
 * {@link InvalidRequestException} listing every problem, text with a lone UTF-16 surrogate among
 * them. Sizes are checked by the client against its configured {@link Limits}.
 *
 * @param content new content, or {@code null}
 * @param tags new tags (replacing the old ones), or {@code null}
 * @param people new people (replacing the old ones), or {@code null}
 * @param topic new topic, {@code ""} to clear, or {@code null}
 * @param metadata new metadata (replacing the old map), or {@code null}
 */
public record UpdateRequest(
    @Nullable String content,
    @Nullable List<String> tags,
    @Nullable List<String> people,
    @Nullable String topic,
    @Nullable Map<String, Object> metadata) {

  public UpdateRequest {
    Values values = Values.forRequest();
    if (content != null) {
      values.content("content", content);
    }
    // Normalized like any labels, but what is not given stays null (unchanged), and a blank topic
    // becomes "" (clear) instead of none.
    Labels.Normalized given = Labels.normalize(values, tags, people, topic, metadata);
    tags = tags == null ? null : given.tags();
    people = people == null ? null : given.people();
    if (topic != null) {
      topic = given.topic() == null ? "" : given.topic();
    }
    metadata = metadata == null ? null : given.metadata();
    if (content == null && tags == null && people == null && topic == null && metadata == null) {
      values.add("request", "names nothing to change: give content, tags, people, topic or metadata");
    }
    values.throwIfAny();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The labels of a memory after this update: each one given here replaces {@code current}'s, the
   * others stay as they are; an empty topic clears it.
   */
  public Labels applyTo(Labels current) {
    return new Labels(tags != null ? tags : current.tags(),
        people != null ? people : current.people(),
        topic != null ? topic : current.topic(),
        metadata != null ? metadata : current.metadata());
  }

  /** Builds an {@link UpdateRequest}; not thread-safe. */
  public static final class Builder extends Labels.Setters<Builder> {
    private @Nullable String content;

    private Builder() {
      super(null, null, null);
    }

    public Builder content(@Nullable String content) {
      this.content = content;
      return this;
    }

    public UpdateRequest build() {
      return new UpdateRequest(content, givenTags(), givenPeople(), givenTopic(), givenMetadata());
    }
  }
}
