package io.inmemory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A memory to add. Built with {@link #builder(String, String)} or {@link #of(String, String)};
 * the constructor validates, normalizes the labels as {@link Labels} does, and throws
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
    @Nullable String topic,
    Map<String, Object> metadata,
    @Nullable Instant createdAt) {

  public AddRequest {
    Values values = Values.forRequest();
    values.content("content", content);
    values.userId("userId", userId);
    Labels.Normalized labels = Labels.normalize(values, tags, people, topic, metadata);
    tags = labels.tags();
    people = labels.people();
    topic = labels.topic();
    metadata = labels.metadata();
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

  /** The tags, people, topic and metadata as one value. */
  public Labels labels() {
    return new Labels(tags, people, topic, metadata);
  }

  /** Builds an {@link AddRequest}; not thread-safe. */
  public static final class Builder extends Labels.Setters<Builder> {
    private final String content;
    private final String userId;
    private @Nullable Instant createdAt;

    private Builder(String content, String userId) {
      super(List.of(), List.of(), Map.of());
      this.content = content;
      this.userId = userId;
    }

    public Builder createdAt(@Nullable Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public AddRequest build() {
      return new AddRequest(content, userId, givenTags(), givenPeople(), givenTopic(),
          givenMetadata(), createdAt);
    }
  }
}
