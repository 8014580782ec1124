package io.inmemory.springai;

import io.inmemory.AddRequest;
import io.inmemory.InvalidRequestException;
import io.inmemory.Limits;
import io.inmemory.ListRequest;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.Message;

/**
 * A Spring AI {@link ChatMemoryRepository} that keeps each conversation's messages in InMemory,
 * for {@code MessageWindowChatMemory} (and Spring Boot's chat memory auto-configuration) over any
 * InMemory runtime: the local engine or a server.
 *
 * <p>Storage: each message is one memory of the agent's own scope {@code Scope(null, agentId,
 * conversationId)} (default agent {@value #DEFAULT_AGENT_ID}), so transcripts never appear in a
 * user's recall nor among an agent's other memories. A conversation id is a session id: 1 to 100
 * characters of {@code [A-Za-z0-9._@:+-]} (a UUID fits); any other is refused with
 * {@link InvalidRequestException}. The message's type, order, tool calls, tool responses and own
 * metadata are kept under the memory's metadata key {@value #METADATA_KEY}; a tool response
 * message is one memory per response. Message metadata values that are not JSON values (text,
 * number, boolean, list, map) are kept as a list (any other collection, an array) or as their
 * {@code toString()} text, null values dropped.
 * Messages read back carry {@value #MEMORY_ID} (the memory id of the message's first part) and
 * {@value #SEQUENCE} (its position) in their metadata: that is how {@link #saveAll} recognises the
 * messages it already holds and adds only the new ones (each added memory is embedded).
 *
 * <p>Refused with {@link InvalidRequestException} (field {@code messages}), nothing stored: media
 * (images, audio) in a user or assistant message, and a message of another class than Spring AI's
 * {@code UserMessage}, {@code AssistantMessage}, {@code SystemMessage} and
 * {@code ToolResponseMessage} (a subclass is stored and read back as its Spring AI class: fields
 * of its own are not kept; its metadata is), and message metadata nested deeper than 14 levels
 * (the 16 of memory metadata, less the two of its place under {@value #METADATA_KEY}). A text over
 * {@code inmemory.max-memory-size} or metadata over {@code inmemory.max-metadata-size} is refused
 * by the client as for any memory.
 *
 * <p>Thread-safe: calls for one conversation (of one agent) are serialized within the JVM, across
 * repository objects; they are not atomic against other processes writing the same conversation.
 * Spring AI's {@code MessageWindowChatMemory.add} reads, then saves: two adds to one conversation
 * at once may lose one of them whatever the repository does. {@link #saveAll} adds before it
 * deletes, so a failure in between leaves extra old messages (removed by the next save), never
 * loses any. Durability is the runtime's. Deleting a conversation keeps the memories' history
 * entries, as every InMemory deletion does.
 */
public final class MemoryClientChatMemoryRepository implements ChatMemoryRepository {
  /** The agent whose own memories hold the transcripts unless the builder names another. */
  public static final String DEFAULT_AGENT_ID = "spring-ai-chat-memory";
  /** The memory metadata key under which the message's Spring AI details are kept. */
  public static final String METADATA_KEY = StoredMessage.METADATA_KEY;
  /** Message metadata key: the id of the memory holding the message (its first part). */
  public static final String MEMORY_ID = StoredMessage.MEMORY_ID;
  /** Message metadata key: the message's position in its conversation, a {@code Long}. */
  public static final String SEQUENCE = StoredMessage.SEQUENCE;

  private static final int LOCK_STRIPES = 64;
  /**
   * Shared by every repository of the JVM: two repositories over one runtime (a Boot bean and one
   * built by hand, say) write the same conversations, and an interleaved pair of saves would leave
   * the messages of both.
   */
  private static final ReentrantLock[] LOCKS = new ReentrantLock[LOCK_STRIPES];

  static {
    for (int i = 0; i < LOCK_STRIPES; i++) {
      LOCKS[i] = new ReentrantLock();
    }
  }

  private final MemoryClient client;
  private final String agentId;

  private MemoryClientChatMemoryRepository(Builder builder) {
    this.client = builder.client;
    this.agentId = builder.agentId;
  }

  /** A repository writing through {@code client}, which it does not close. */
  public static Builder builder(MemoryClient client) {
    return new Builder(client);
  }

  /** The agent whose own memories hold the transcripts. */
  public String agentId() {
    return agentId;
  }

  /**
   * Every conversation id holding messages, in the order first met. This pages through all the
   * agent's memories (no session listing exists), so it costs in proportion to the messages
   * stored.
   */
  @Override
  public List<String> findConversationIds() {
    Set<String> ids = new LinkedHashSet<>();
    forEachMemory(Scope.agent(agentId), memory -> {
      if (memory.sessionId() != null) {
        ids.add(memory.sessionId());
      }
    });
    return List.copyOf(ids);
  }

  /** The conversation's messages in order; an empty list for an unknown conversation. */
  @Override
  public List<Message> findByConversationId(String conversationId) {
    Scope scope = scope(conversationId);
    return locked(conversationId, () -> {
      List<Message> messages = new ArrayList<>();
      stored(scope).values().forEach(parts -> messages.add(StoredMessage.toMessage(parts)));
      return messages;
    });
  }

  /**
   * Makes {@code messages} the conversation's messages. Messages read from this repository and
   * unchanged keep their memories; when the others all follow them (a chat window evicts at the
   * front and appends at the end) only those are added and the evicted ones deleted, otherwise the
   * conversation is rewritten.
   *
   * <p>New messages are added in batches of {@link Limits#DEFAULT_MAX_BATCH_SIZE} memories (the
   * default {@code inmemory.max-batch-size}); a failure after a first batch leaves the batches
   * added, after the messages stored before, until the next save.
   *
   * @throws InvalidRequestException for a bad conversation id or a message refused (see the class
   *     comment); nothing is changed then
   */
  @Override
  public void saveAll(String conversationId, List<Message> messages) {
    Scope scope = scope(conversationId);
    if (messages == null || messages.stream().anyMatch(Objects::isNull)) {
      throw new InvalidRequestException("messages", "must be a list of messages, without null");
    }
    messages.forEach(StoredMessage::check);
    locked(conversationId, () -> {
      TreeMap<Long, List<MemoryRecord>> stored = stored(scope);
      // positions written here are >= 0; foreign memories sit below them
      long next = stored.isEmpty() || stored.lastKey() < 0 ? 0 : stored.lastKey() + 1;
      List<Long> kept = new ArrayList<>();
      List<Message> added = new ArrayList<>();
      boolean appendOnly = true;
      for (Message message : messages) {
        Long seq = StoredMessage.sequence(message);
        boolean keep = seq != null && stored.containsKey(seq)
            && (kept.isEmpty() || seq > kept.get(kept.size() - 1))
            && StoredMessage.sameAs(StoredMessage.requests(scope, message, seq), stored.get(seq));
        if (keep) {
          kept.add(seq);
          appendOnly &= added.isEmpty();
        } else {
          added.add(message);
        }
      }
      List<Message> toAdd = appendOnly ? added : messages;
      if (!appendOnly) {
        kept.clear();
      }
      List<AddRequest> requests = new ArrayList<>();
      for (Message message : toAdd) {
        requests.addAll(StoredMessage.requests(scope, message, next++));
      }
      // in batches the runtime accepts by default: a long conversation saved whole is not
      // refused for its length
      for (int from = 0; from < requests.size(); from += Limits.DEFAULT_MAX_BATCH_SIZE) {
        client.addAll(requests.subList(from,
            Math.min(requests.size(), from + Limits.DEFAULT_MAX_BATCH_SIZE)));
      }
      stored.keySet().removeAll(kept);
      stored.values().forEach(parts -> parts.forEach(part -> client.delete(part.id(), scope)));
      return null;
    });
  }

  /** Deletes the conversation's messages; nothing happens for an unknown conversation. */
  @Override
  public void deleteByConversationId(String conversationId) {
    Scope scope = scope(conversationId);
    locked(conversationId, () -> client.deleteAll(scope));
  }

  private Scope scope(String conversationId) {
    if (conversationId == null || conversationId.isBlank()) {
      throw new InvalidRequestException("conversationId", "must not be blank");
    }
    return new Scope(null, agentId, conversationId);
  }

  /** The conversation's memories by message position, each message's parts in order. */
  private TreeMap<Long, List<MemoryRecord>> stored(Scope scope) {
    TreeMap<Long, List<MemoryRecord>> stored = new TreeMap<>();
    long[] foreign = {Long.MIN_VALUE};
    forEachMemory(scope, memory -> {
      Long seq = StoredMessage.sequence(memory);
      // a memory not written here (someone added to this agent's session) is a message of its
      // own before the others, rather than one silently hidden
      stored.computeIfAbsent(seq == null ? foreign[0]++ : seq, key -> new ArrayList<>())
          .add(memory);
    });
    stored.values().forEach(parts -> parts.sort(Comparator.comparingLong(StoredMessage::part)));
    return stored;
  }

  private void forEachMemory(Scope scope, Consumer<MemoryRecord> action) {
    int offset = 0;
    Page<MemoryRecord> page;
    do {
      page = client.list(ListRequest.builder(scope).limit(SearchRequest.MAX_LIMIT).offset(offset)
          .build());
      page.items().forEach(action);
      offset += page.items().size();
    } while (page.hasMore() && !page.items().isEmpty());
  }

  private <T> T locked(String conversationId, Supplier<T> action) {
    ReentrantLock lock = LOCKS[Math.floorMod(Objects.hash(agentId, conversationId), LOCK_STRIPES)];
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  /** Builds a {@link MemoryClientChatMemoryRepository}; not thread-safe. */
  public static final class Builder {
    private final MemoryClient client;
    private String agentId = DEFAULT_AGENT_ID;

    private Builder(MemoryClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * The agent whose own memories hold the transcripts; default {@value #DEFAULT_AGENT_ID}.
     *
     * @throws InvalidRequestException when it is not a valid agent id
     */
    public Builder agentId(String agentId) {
      this.agentId = Scope.agent(agentId).agentId();
      return this;
    }

    /** The repository; it holds no state of its own besides the client and the agent id. */
    public MemoryClientChatMemoryRepository build() {
      return new MemoryClientChatMemoryRepository(this);
    }
  }
}
