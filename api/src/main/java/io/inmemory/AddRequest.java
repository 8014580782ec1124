package io.inmemory;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A memory to add. Built with {@link #builder(String, String)} or {@link #of(String, String)};
 * the constructor validates and normalizes (tags trimmed, lower-cased and de-duplicated; people
 * de-duplicated case-insensitively; topic lower-cased; metadata deep-copied) and throws
 * {@link InvalidRequestException} listing every problem, among them any text that is not
 * well-formed Unicode (a lone UTF-16 surrogate, which no store or JSON could keep exactly). Sizes
 * (the content's, the number and length of tags and people, the topic's and metadata's) are
 * checked by the client against its configured {@link Limits}.
 *
 * @param content the text to remember; not blank
 * @param userId the owning user; see {@link MemoryClient} for the allowed form
 * @param tags tags, possibly empty
 * @param people people mentioned, possibly empty
 * @param topic a topic, or {@code null}
 * @param metadata JSON-compatible metadata, possibly empty
 * @param createdAt when the memory was made, for imports of past conversations; {@code null} means
 *     now
 */
public record AddRequest(
    String content,
    String userId,
    List<String> tags,
    List<String> people,
    String topic,
    Map<String, Object> metadata,
    Instant createdAt) {

  public AddRequest {
    Values values = Values.forRequest();
    values.content("content", content);
    values.userId("userId", userId);
    tags = values.tags("tags", tags);
    people = values.people("people", people);
    topic = values.topic("topic", topic);
    metadata = values.metadata("metadata", metadata);
    values.throwIfAny();
    createdAt = Values.millis(createdAt);
  }

  /** A plain memory with no tags, people, topic or metadata. */
  public static AddRequest of(String content, String userId) {
    return builder(content, userId).build();
  }

  public static Builder builder(String content, String userId) {
    return new Builder(content, userId);
  }

  /** Builds an {@link AddRequest}; not thread-safe. */
  public static final class Builder {
    private final String content;
    private final String userId;
    private List<String> tags = List.of();
    private List<String> people = List.of();
    private String topic;
    private Map<String, ?> metadata = Map.of();
    private Instant createdAt;

    private Builder(String content, String userId) {
      this.content = content;
      this.userId = userId;
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

    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    @SuppressWarnings("unchecked")
    public AddRequest build() {
      return new AddRequest(content, userId, tags, people, topic, (Map<String, Object>) metadata,
          createdAt);
    }
  }
}
