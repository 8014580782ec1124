package io.inmemory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A memory to add. Built with {@link #builder(String, Scope)}, {@link #builder(String, String)} or
 * {@link #of(String, String)};
 * the constructor validates, normalizes the labels as {@link Labels} does, and throws
 * {@link InvalidRequestException} listing every problem, among them any text that is not
 * well-formed Unicode (a lone UTF-16 surrogate, which no store or JSON could keep exactly). Sizes
 * (the content's, the number and length of tags and people, the topic's and metadata's) are
 * checked by the client against its configured {@link Limits}.
 *
 * @param content the text to remember; not blank
 * @param userId the owning user (see {@link MemoryClient} for the allowed form), or {@code null}
 *     for an agent's own memory
 * @param tags tags, possibly empty
 * @param people people mentioned, possibly empty
 * @param topic a topic, or {@code null}
 * @param metadata JSON-compatible metadata, possibly empty
 * @param createdAt when the memory was made, for imports of past conversations; {@code null} means
 *     now
 * @param agentId the agent recording it (the owner when {@code userId} is {@code null}), or
 *     {@code null}
 * @param sessionId the session it comes from, or {@code null}
 * @param role who said it, when it is a conversation message, or {@code null}
 * @param validFrom since when the fact holds, or {@code null} for its creation time
 * @param deduplicate when the scope already holds a current memory of the same normalized text,
 *     answer that one ({@link EventType#NONE}) instead of adding another
 */
public record AddRequest(
    String content,
    @Nullable String userId,
    List<String> tags,
    List<String> people,
    @Nullable String topic,
    Map<String, Object> metadata,
    @Nullable Instant createdAt,
    @Nullable String agentId,
    @Nullable String sessionId,
    @Nullable Role role,
    @Nullable Instant validFrom,
    boolean deduplicate) {

  public AddRequest {
    Values values = Values.forRequest();
    values.content("content", content);
    values.scope(userId, agentId, sessionId);
    Labels.Normalized labels = Labels.normalize(values, tags, people, topic, metadata);
    tags = labels.tags();
    people = labels.people();
    topic = labels.topic();
    metadata = labels.metadata();
    createdAt = values.instant("createdAt", createdAt);
    validFrom = values.instant("validFrom", validFrom);
    values.throwIfAny();
  }

  /** A user's memory with no agent, session or role, valid from its creation, not de-duplicated. */
  public AddRequest(String content, String userId, List<String> tags, List<String> people,
      @Nullable String topic, Map<String, Object> metadata, @Nullable Instant createdAt) {
    this(content, userId, tags, people, topic, metadata, createdAt, null, null, null, null, false);
  }

  /** A plain memory with no tags, people, topic or metadata. */
  public static AddRequest of(String content, String userId) {
    return builder(content, userId).build();
  }

  public static Builder builder(String content, String userId) {
    return new Builder(content, userId, null, null);
  }

  /** A memory of {@code scope}: its user or agent, agent and session are recorded. */
  public static Builder builder(String content, Scope scope) {
    return new Builder(content, scope.userId(), scope.agentId(), scope.sessionId());
  }

  /** Whose memory this is and where it came from. */
  public Scope scope() {
    return new Scope(userId, agentId, sessionId);
  }

  /** The tags, people, topic and metadata as one value. */
  public Labels labels() {
    return new Labels(tags, people, topic, metadata);
  }

  /** Builds an {@link AddRequest}; not thread-safe. */
  public static final class Builder extends Labels.Setters<Builder> {
    private final String content;
    private final @Nullable String userId;
    private final @Nullable String agentId;
    private final @Nullable String sessionId;
    private @Nullable Instant createdAt;
    private @Nullable Role role;
    private @Nullable Instant validFrom;
    private boolean deduplicate;

    private Builder(String content, @Nullable String userId, @Nullable String agentId,
        @Nullable String sessionId) {
      super(List.of(), List.of(), Map.of());
      this.content = content;
      this.userId = userId;
      this.agentId = agentId;
      this.sessionId = sessionId;
    }

    public Builder createdAt(@Nullable Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public Builder role(@Nullable Role role) {
      this.role = role;
      return this;
    }

    public Builder validFrom(@Nullable Instant validFrom) {
      this.validFrom = validFrom;
      return this;
    }

    public Builder deduplicate(boolean deduplicate) {
      this.deduplicate = deduplicate;
      return this;
    }

    public AddRequest build() {
      return new AddRequest(content, userId, givenTags(), givenPeople(), givenTopic(),
          givenMetadata(), createdAt, agentId, sessionId, role, validFrom, deduplicate);
    }
  }
}
