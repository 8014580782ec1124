package io.inmemory.engine;

import io.inmemory.AddResult;
import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.EventType;
import io.inmemory.MemoryEvent;
import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Conversations remembered without a model: each message of the requested roles becomes one
 * memory, always de-duplicated within the request's scope (also against an earlier message of the
 * same call), all stored by one insert.
 *
 * <p>A memory made of a message keeps its role; the speaker's name is its one person; the
 * request's tags and topic are its own; its metadata is the request's overlaid with the
 * message's, plus {@value Message#ID_METADATA_KEY} when the message has an id; its creation time
 * (and validity start) is the message's timestamp, or for an untimed message the call's instant
 * less one millisecond per later message, so that listings keep the conversation's order; the
 * scope's user, agent and session are recorded. Each links to the memory of the message
 * remembered before it under {@value Message#FOLLOWS_METADATA_KEY}: the previous message of the
 * request, or for the first the {@linkplain Partition#lastMessage last message} already remembered
 * of the same user, agent and session said no later than it, found under the partition's write
 * lock (see {@link Additions}). A link to a message answered by an earlier duplicate follows to
 * that memory.
 *
 * <p>Thread-safe: holds no state.
 */
final class Conversations {
  private Conversations() {}

  /** Remembers the messages of {@code request} in {@code namespace}, at {@code now}. */
  static ConversationResult remember(Engine engine, String namespace, Instant now,
      ConversationRequest request) {
    List<AddResult> results = Additions.add(engine, namespace, now, drafts(request, now));
    List<MemoryEvent> events = results.stream()
        .map(result -> result.event() == EventType.NONE
            ? MemoryEvent.unchanged(result.memory()) : MemoryEvent.added(result.memory()))
        .toList();
    return new ConversationResult(events, false, false, null);
  }

  private static List<Additions.Draft> drafts(ConversationRequest request, Instant now) {
    Scope scope = request.scope();
    List<Message> messages = request.messages();
    List<Additions.Draft> drafts = new ArrayList<>(messages.size());
    @Nullable String previous = null;
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      if (!request.roles().contains(message.role())) {
        continue;
      }
      Instant createdAt = message.timestamp() != null
          ? message.timestamp() : now.minusMillis(messages.size() - 1L - i);
      String id = UUID.randomUUID().toString();
      MemoryRecord record = new MemoryRecord(id, scope.userId(),
          message.content(), request.tags(),
          message.name() == null ? List.of() : List.of(message.name()), request.topic(),
          Additions.linked(request.metadataOf(message), previous), createdAt, createdAt, scope.agentId(),
          scope.sessionId(), message.role(), createdAt, null, null);
      drafts.add(new Additions.Draft(record, true, previous == null));
      previous = id;
    }
    return drafts;
  }
}
