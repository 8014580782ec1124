package io.inmemory.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import io.inmemory.AddRequest;
import io.inmemory.InvalidRequestException;
import io.inmemory.ListRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.StorageException;
import io.inmemory.Validation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A LangChain4j {@link ChatMemoryStore} that keeps each chat's window in InMemory, so that
 * {@code MessageWindowChatMemory} and {@code TokenWindowChatMemory} persist with any InMemory
 * runtime (local engine or server). Thread-safe; durable as the client's store is.
 *
 * <p>A chat is one session: by default {@code Scope.agent("langchain4j-chat-memory")} with the
 * chat memory id as session id (hashed to {@code sha256-<hex>} when it is not a valid session id),
 * an agent-owned namespace, so window messages never show in a user's searches or listings;
 * {@link Builder#scope} may place windows elsewhere. Each message is one memory: its content is
 * LangChain4j's own JSON of the message (every message and content type, tool calls and results
 * kept exactly, text that is not well-formed UTF-16 included: an unpaired surrogate is written as
 * its JSON escape), its role the message's ({@code null} for a custom message), and its metadata
 * {@value #SEQ}, its position. An update writes only the difference from the stored window: the new
 * messages are added first, then the evicted ones deleted, so a failure in between loses no kept
 * message, and an evicted message left over is deleted by the next update. Updates (and reads) of
 * one chat are serialized within this JVM only; InMemory keeps the history of deleted memories, so
 * evicted messages remain in it.
 *
 * <p>Thread-safety stops at the store: LangChain4j's {@code MessageWindowChatMemory} and
 * {@code TokenWindowChatMemory} (1.19) are not thread-safe themselves — each {@code add} reads the
 * window, trims it and writes the whole of it back, unsynchronized — so two AI service calls on
 * one chat memory id at once can each write a window missing the other's message. The store keeps
 * every window it is given whole and never mixes two (the last written wins); an application that
 * runs turns of one chat concurrently serializes them itself.
 *
 * <p>Errors: a {@code null} memory id → {@link InvalidRequestException} (field {@code memoryId}); a
 * scope without session → {@link InvalidRequestException} (field {@code scope}); a message larger
 * than the runtime accepts → the client's {@code ContentTooLargeException}, the stored window
 * unchanged; a memory in the chat's session that is not a window message →
 * {@link StorageException} naming it.
 */
public final class InMemoryChatMemoryStore implements ChatMemoryStore {

  /** The metadata key holding a message's position in its window. */
  public static final String SEQ = "lc4j_seq";

  /** The agent owning the windows by default. */
  public static final String DEFAULT_AGENT = "langchain4j-chat-memory";

  private static final int PAGE = SearchRequest.MAX_LIMIT;

  private final MemoryClient client;
  private final Function<Object, Scope> windowScope;
  private final ReentrantLock[] locks = new ReentrantLock[64];

  private InMemoryChatMemoryStore(Builder builder) {
    this.client = builder.client;
    this.windowScope = builder.windowScope;
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** A store keeping windows in {@code client}, under the default agent. */
  public static InMemoryChatMemoryStore of(MemoryClient client) {
    return builder(client).build();
  }

  public static Builder builder(MemoryClient client) {
    return new Builder(client);
  }

  /** The chat's messages in window order; an empty mutable list for an unknown chat. */
  @Override
  public List<ChatMessage> getMessages(Object memoryId) {
    Scope scope = scope(memoryId);
    List<WindowDiff.Entry> entries = locked(scope, () -> entries(scope));
    List<ChatMessage> messages = new ArrayList<>(entries.size());
    for (WindowDiff.Entry entry : entries) {
      messages.add(message(entry));
    }
    return messages;
  }

  /** Makes {@code messages} the chat's window; an empty list deletes the chat. */
  @Override
  public void updateMessages(Object memoryId, List<ChatMessage> messages) {
    Scope scope = scope(memoryId);
    Objects.requireNonNull(messages, "messages");
    if (messages.isEmpty()) {
      deleteMessages(memoryId);
      return;
    }
    List<String> jsons = new ArrayList<>(messages.size());
    // equal JSON is an equal message, so one message per JSON gives each insert its role
    Map<String, ChatMessage> byJson = new HashMap<>();
    for (ChatMessage message : messages) {
      String json = escapeUnpairedSurrogates(ChatMessageSerializer.messageToJson(message));
      jsons.add(json);
      byJson.put(json, message);
    }
    locked(scope, () -> {
      WindowDiff.Plan plan = WindowDiff.plan(entries(scope), jsons);
      List<AddRequest> adds = new ArrayList<>(plan.inserts().size());
      for (WindowDiff.Insert insert : plan.inserts()) {
        adds.add(AddRequest.builder(insert.json(), scope)
            .role(role(byJson.get(insert.json())))
            .metadata(Map.of(SEQ, insert.seq()))
            .build());
      }
      if (!adds.isEmpty()) {
        client.addAll(adds);
      }
      for (String evicted : plan.deletes()) {
        client.delete(evicted, scope);
      }
      return null;
    });
  }

  /** Deletes the chat's window (the memories' history remains, as for every InMemory memory). */
  @Override
  public void deleteMessages(Object memoryId) {
    Scope scope = scope(memoryId);
    locked(scope, () -> client.deleteAll(scope));
  }

  private Scope scope(Object memoryId) {
    if (memoryId == null) {
      throw new InvalidRequestException("memoryId", "is required");
    }
    Scope scope = windowScope.apply(memoryId);
    if (scope == null || scope.sessionId() == null) {
      throw new InvalidRequestException("scope", "a chat window needs a sessionId, the window"
          + " scope of chat '" + memoryId + "' was " + scope);
    }
    return scope;
  }

  private <T> T locked(Scope scope, Supplier<T> action) {
    ReentrantLock lock = locks[Math.floorMod(scope.hashCode(), locks.length)];
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  /** The stored messages of the chat, in window order, current and superseded alike. */
  private List<WindowDiff.Entry> entries(Scope scope) {
    List<WindowDiff.Entry> entries = new ArrayList<>();
    int offset = 0;
    Page<MemoryRecord> page;
    do {
      page = client.list(ListRequest.builder(scope).includeSuperseded(true).limit(PAGE)
          .offset(offset).build());
      for (MemoryRecord record : page.items()) {
        entries.add(entry(record));
      }
      offset += page.items().size();
    } while (page.hasMore() && !page.items().isEmpty());
    entries.sort(Comparator.comparingLong(WindowDiff.Entry::seq)
        .thenComparing(WindowDiff.Entry::memoryId));
    return entries;
  }

  private static WindowDiff.Entry entry(MemoryRecord record) {
    if (!(record.metadata().get(SEQ) instanceof Number seq)) {
      throw new StorageException("memory " + record.id() + " in chat window session '"
          + record.sessionId() + "' is not a LangChain4j chat message: it has no numeric " + SEQ);
    }
    // JSON over the wire may give back an Integer or a Long
    return new WindowDiff.Entry(record.id(), seq.longValue(), record.content());
  }

  private static ChatMessage message(WindowDiff.Entry entry) {
    try {
      return ChatMessageDeserializer.messageFromJson(entry.json());
    } catch (RuntimeException e) {
      throw new StorageException("memory " + entry.memoryId()
          + " in a chat window is not a LangChain4j chat message: " + e.getMessage(), e);
    }
  }

  /**
   * {@code json} with each unpaired UTF-16 surrogate written as its JSON escape (backslash, u, four
   * hex digits): the same JSON value, read back to the same string, but text InMemory stores (it
   * refuses malformed UTF-16, which UTF-8 cannot carry). Outside its strings JSON text is ASCII, so
   * every escape lands inside a string.
   */
  private static String escapeUnpairedSurrogates(String json) {
    // nearly every message is well-formed: each update serializes the whole window, so only a
    // message with an unpaired surrogate pays for the copy
    if (Validation.isWellFormedText(json)) {
      return json;
    }
    StringBuilder escaped = new StringBuilder(json.length());
    for (int i = 0; i < json.length(); ) {
      // a paired surrogate is one code point; an unpaired one is its own, in the surrogate range
      int point = json.codePointAt(i);
      i += Character.charCount(point);
      if (point >= Character.MIN_SURROGATE && point <= Character.MAX_SURROGATE) {
        escaped.append(String.format("\\u%04x", point));
      } else {
        escaped.appendCodePoint(point);
      }
    }
    return escaped.toString();
  }

  private static @Nullable Role role(ChatMessage message) {
    return switch (message.type()) {
      case SYSTEM -> Role.SYSTEM;
      case USER -> Role.USER;
      case AI -> Role.ASSISTANT;
      case TOOL_EXECUTION_RESULT -> Role.TOOL;
      case CUSTOM -> null;
    };
  }

  /** Builds an {@link InMemoryChatMemoryStore}; not thread-safe. */
  public static final class Builder {
    private final MemoryClient client;
    private Function<Object, Scope> windowScope =
        id -> Scope.agent(DEFAULT_AGENT).withSession(SessionKeys.of(id));

    private Builder(MemoryClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Where a chat's window lives, from its memory id: a scope with a session (one per chat). The
     * default is {@code Scope.agent("langchain4j-chat-memory")} with the memory id as session. A
     * scope under a user makes the window's messages that user's memories, found by their
     * searches (and so by a retriever) unless filtered out by {@value #SEQ}.
     */
    public Builder scope(Function<Object, Scope> windowScope) {
      this.windowScope = Objects.requireNonNull(windowScope, "windowScope");
      return this;
    }

    public InMemoryChatMemoryStore build() {
      return new InMemoryChatMemoryStore(this);
    }
  }
}
