package io.inmemory;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A conversation to remember, for {@link MemoryClient#add(ConversationRequest)}. Built with
 * {@link #builder(Scope)}. Immutable; lists, sets and maps are unmodifiable copies.
 *
 * <p>Without extraction, each message whose role is in {@code roles} becomes one memory
 * (de-duplicated within the scope); with an extractor configured, the model turns the messages
 * into facts. The constructor throws {@link InvalidRequestException} listing every problem: no
 * messages, a {@code null} one or one of blank content, no scope, an empty {@code roles}, malformed
 * tags, topic or metadata (as {@link Labels} rules), blank instructions, text that is not
 * well-formed Unicode. Sizes (the number of messages, each content, the instructions, metadata)
 * are checked by the client against its {@link Limits}.
 *
 * @param messages the conversation, in the order it was held; not empty
 * @param scope whose memories these are and which session they come from
 * @param tags tags given to every memory made; empty when none
 * @param topic a topic for every memory made, or {@code null}
 * @param metadata metadata of every memory made (each message's own overlaid); empty when none
 * @param roles the roles whose messages are remembered; {@code null} given means
 *     {@link #DEFAULT_ROLES}
 * @param infer {@code null}: extract facts when an extractor is configured; {@code true}: extract
 *     or fail with {@link InvalidRequestException} (field {@code infer}) when none is;
 *     {@code false}: never extract, remember the messages as they are
 * @param instructions application instructions for the extraction model, after the configured
 *     ones, or {@code null}
 * @param storeRawOnFailure when extraction fails, remember the messages as they are instead of
 *     failing the call
 * @param zone the time zone relative dates in the messages are read in, or {@code null} for the
 *     configured one
 */
public record ConversationRequest(
    List<Message> messages,
    Scope scope,
    List<String> tags,
    @Nullable String topic,
    Map<String, Object> metadata,
    Set<Role> roles,
    @Nullable Boolean infer,
    @Nullable String instructions,
    boolean storeRawOnFailure,
    @Nullable ZoneId zone) {

  /** The roles remembered by default: what the user and the assistant said. */
  public static final Set<Role> DEFAULT_ROLES =
      Collections.unmodifiableSet(EnumSet.of(Role.USER, Role.ASSISTANT));

  public ConversationRequest {
    Values values = Values.forRequest();
    if (messages == null || messages.isEmpty()) {
      values.add("messages", "must hold at least one message");
      messages = List.of();
    } else if (Values.hasNull(messages)) {
      values.add("messages", "must not contain null");
      messages = List.of();
    } else {
      messages = List.copyOf(messages);
      for (int i = 0; i < messages.size(); i++) {
        if (messages.get(i).content().isBlank()) {
          values.add("messages[" + i + "].content", "must not be blank");
        }
      }
    }
    if (scope == null) {
      values.add("scope", "give userId, agentId or both");
    }
    Labels.Normalized labels = Labels.normalize(values, tags, List.of(), topic, metadata);
    tags = labels.tags();
    topic = labels.topic();
    metadata = labels.metadata();
    if (roles == null) {
      roles = DEFAULT_ROLES;
    } else if (roles.isEmpty() || Values.hasNull(roles)) {
      values.add("roles", "must name at least one of user, assistant, system, tool");
    } else {
      roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }
    if (instructions != null && instructions.isBlank()) {
      values.add("instructions", "must not be blank (omit them instead)");
    }
    values.text("instructions", instructions);
    values.throwIfAny();
  }

  public static Builder builder(Scope scope) {
    return new Builder(scope);
  }

  /**
   * The metadata a memory made of {@code message} holds: this request's, overlaid with the
   * message's own, plus its id under {@value Message#ID_METADATA_KEY} when it has one. What
   * {@link Limits#check(ConversationRequest)} measures and the engine stores.
   */
  public Map<String, Object> metadataOf(Message message) {
    if (message.metadata().isEmpty() && message.id() == null) {
      return metadata;
    }
    Map<String, Object> kept = new LinkedHashMap<>(metadata);
    kept.putAll(message.metadata());
    if (message.id() != null) {
      kept.put(Message.ID_METADATA_KEY, message.id());
    }
    return Collections.unmodifiableMap(kept);
  }

  /** Builds a {@link ConversationRequest}; not thread-safe. */
  public static final class Builder {
    private final Scope scope;
    private final List<Message> messages = new ArrayList<>();
    private @Nullable List<String> tags;
    private @Nullable String topic;
    private @Nullable Map<String, Object> metadata;
    private @Nullable Set<Role> roles;
    private @Nullable Boolean infer;
    private @Nullable String instructions;
    private boolean storeRawOnFailure;
    private @Nullable ZoneId zone;

    private Builder(Scope scope) {
      this.scope = scope;
    }

    /** Appends messages to the conversation. */
    public Builder messages(Message... messages) {
      return messages(Arrays.asList(messages));
    }

    /** Appends messages to the conversation. */
    public Builder messages(List<Message> messages) {
      this.messages.addAll(messages);
      return this;
    }

    public Builder tags(String... tags) {
      return tags(Arrays.asList(tags));
    }

    public Builder tags(@Nullable List<String> tags) {
      this.tags = tags;
      return this;
    }

    public Builder topic(@Nullable String topic) {
      this.topic = topic;
      return this;
    }

    public Builder metadata(@Nullable Map<String, Object> metadata) {
      this.metadata = metadata;
      return this;
    }

    public Builder roles(Role... roles) {
      return roles(Set.of(roles));
    }

    public Builder roles(@Nullable Set<Role> roles) {
      this.roles = roles;
      return this;
    }

    public Builder infer(@Nullable Boolean infer) {
      this.infer = infer;
      return this;
    }

    public Builder instructions(@Nullable String instructions) {
      this.instructions = instructions;
      return this;
    }

    public Builder storeRawOnFailure(boolean storeRawOnFailure) {
      this.storeRawOnFailure = storeRawOnFailure;
      return this;
    }

    public Builder zone(@Nullable ZoneId zone) {
      this.zone = zone;
      return this;
    }

    public ConversationRequest build() {
      return new ConversationRequest(messages, scope, tags, topic, metadata, roles, infer,
          instructions, storeRawOnFailure, zone);
    }
  }
}
