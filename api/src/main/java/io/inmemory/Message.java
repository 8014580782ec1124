package io.inmemory;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation handed to {@link MemoryClient#add(ConversationRequest)}. Immutable;
 * the metadata is an unmodifiable, normalized copy (as {@link Labels} normalizes metadata).
 *
 * <p>The constructor throws {@link InvalidRequestException} listing every problem: no role, no
 * content (blank content is accepted and skipped when memories are made), a blank id or one
 * over {@value #MAX_ID_LENGTH} characters (any other id is accepted: it is the caller's), a blank
 * name, text that is not well-formed Unicode, metadata that is not JSON-compatible. Sizes are
 * checked by the client against its {@link Limits}; the id counts toward its metadata's.
 *
 * @param role who said it
 * @param content what was said
 * @param name the speaker's name (recorded as a person mentioned), or {@code null}
 * @param timestamp when it was said (becomes the memory's creation time), or {@code null} for the
 *     time of the call
 * @param id the caller's id of the message (kept as metadata {@value #ID_METADATA_KEY}), or
 *     {@code null}
 * @param metadata JSON-compatible metadata overlaid on the request's; empty when none
 */
public record Message(
    Role role,
    String content,
    @Nullable String name,
    @Nullable Instant timestamp,
    @Nullable String id,
    Map<String, Object> metadata) {

  /**
   * The longest {@link #id()}, in characters. An id names a message, it does not carry content:
   * the ids of chat APIs and databases (UUIDs, ULIDs, {@code msg_…} and {@code chatcmpl-…} ids,
   * URNs with a conversation prefix) are under 100 characters, so 256 leaves room for any of them
   * with a namespace, while bounding what each memory of a message keeps in its metadata.
   */
  public static final int MAX_ID_LENGTH = 256;

  /** The metadata key under which every memory made of a message keeps its {@link #id()}. */
  public static final String ID_METADATA_KEY = "message_id";

  /**
   * The metadata key under which a memory made of a message, remembered without extraction, keeps
   * the id of the memory made of the message remembered just before it in the same conversation
   * (same user, agent and session), when there is one. Searches read the link as the thread of the
   * conversation: a message is scored with the one before it and lifted by its neighbours (see
   * the retrieval settings {@code inmemory.retrieval.context-weight} and
   * {@code inmemory.retrieval.neighbor-weight}). Any memory whose metadata holds a memory id under
   * this key is read so, whoever set it.
   */
  public static final String FOLLOWS_METADATA_KEY = "follows_memory_id";

  public Message {
    // null metadata means none, as in the other requests
    Values values = Values.forRequest();
    if (role == null) {
      values.add("role", "is required: user, assistant, system or tool");
    }
    if (content == null) {
      values.add("content", "is required");
    }
    values.text("content", content);
    if (name != null && name.isBlank()) {
      values.add("name", "must not be blank (omit it instead)");
    }
    values.text("name", name);
    if (id != null && id.isBlank()) {
      values.add("id", "must not be blank (omit it instead)");
    } else if (id != null && id.length() > MAX_ID_LENGTH) {
      values.add("id", "is " + id.length() + " characters, over the maximum of " + MAX_ID_LENGTH);
    }
    values.text("id", id);
    metadata = values.metadata("metadata", metadata);
    timestamp = values.instant("timestamp", timestamp);
    values.throwIfAny();
  }

  public static Message of(Role role, String content) {
    return new Message(role, content, null, null, null, Map.of());
  }

  public static Message user(String content) {
    return of(Role.USER, content);
  }

  public static Message assistant(String content) {
    return of(Role.ASSISTANT, content);
  }

  public static Message system(String content) {
    return of(Role.SYSTEM, content);
  }

  public static Message tool(String content) {
    return of(Role.TOOL, content);
  }

  public Message withName(@Nullable String name) {
    return new Message(role, content, name, timestamp, id, metadata);
  }

  public Message withTimestamp(@Nullable Instant timestamp) {
    return new Message(role, content, name, timestamp, id, metadata);
  }

  public Message withId(@Nullable String id) {
    return new Message(role, content, name, timestamp, id, metadata);
  }

  public Message withMetadata(@Nullable Map<String, Object> metadata) {
    return new Message(role, content, name, timestamp, id, metadata);
  }
}
