package io.inmemory;

import java.util.List;
import java.util.Map;

/**
 * Changes to a memory. Every field is optional: {@code null} leaves it unchanged. An empty list
 * clears tags or people, an empty map clears metadata, an empty topic clears the topic. At least
 * one field must be given. Changing the content re-embeds the memory. The constructor throws
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
    String content,
    List<String> tags,
    List<String> people,
    String topic,
    Map<String, Object> metadata) {

  public UpdateRequest {
    Values values = Values.forRequest();
    if (content != null) {
      values.content("content", content);
    }
    tags = tags == null ? null : values.tags("tags", tags);
    people = people == null ? null : values.people("people", people);
    if (topic != null) {
      topic = topic.isBlank() ? "" : values.topic("topic", topic);
    }
    metadata = metadata == null ? null : values.metadata("metadata", metadata);
    if (content == null && tags == null && people == null && topic == null && metadata == null) {
      values.add("request", "names nothing to change: give content, tags, people, topic or metadata");
    }
    values.throwIfAny();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link UpdateRequest}; not thread-safe. */
  public static final class Builder {
    private String content;
    private List<String> tags;
    private List<String> people;
    private String topic;
    private Map<String, ?> metadata;

    private Builder() {}

    public Builder content(String content) {
      this.content = content;
      return this;
    }

    public Builder tags(List<String> tags) {
      this.tags = tags;
      return this;
    }

    public Builder tags(String... tags) {
      return tags(List.of(tags));
    }

    public Builder people(List<String> people) {
      this.people = people;
      return this;
    }

    public Builder people(String... people) {
      return people(List.of(people));
    }

    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    public Builder metadata(Map<String, ?> metadata) {
      this.metadata = metadata;
      return this;
    }

    @SuppressWarnings("unchecked")
    public UpdateRequest build() {
      return new UpdateRequest(content, tags, people, topic, (Map<String, Object>) metadata);
    }
  }
}
