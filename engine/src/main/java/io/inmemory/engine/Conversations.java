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
 * scope's user, agent and session are recorded.
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
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      if (!request.roles().contains(message.role())) {
        continue;
      }
      Instant createdAt = message.timestamp() != null
          ? message.timestamp() : now.minusMillis(messages.size() - 1L - i);
      MemoryRecord record = new MemoryRecord(UUID.randomUUID().toString(), scope.userId(),
          message.content(), request.tags(),
          message.name() == null ? List.of() : List.of(message.name()), request.topic(),
          request.metadataOf(message), createdAt, createdAt, scope.agentId(), scope.sessionId(), message.role(),
          createdAt, null, null);
      drafts.add(new Additions.Draft(record, true));
    }
    return drafts;
  }
}
