package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.inmemory.AddRequest;
import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.EventType;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryEvent;
import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.NotFoundException;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.StorageException;
import io.inmemory.UpdateRequest;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.ForwardingStore;
import io.inmemory.engine.tck.HashingEmbedder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's write path as only the engine shows it: store calls, embeddings, loads. */
class MemoryWritesTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Scope ALICE = Scope.user("alice");

  /** Forwards to a volatile store, records the writes and fails inserts while told to. */
  private static final class RecordingStore extends ForwardingStore {
    final List<String> writes = new ArrayList<>();
    boolean failInserts;

    RecordingStore() {
      super(new VolatileMemoryStore());
    }

    @Override
    public void insert(List<StoredMemory> memories, List<HistoryEntry> entries) {
      writes.add("insert " + memories.size());
      if (failInserts) {
        throw new StorageException("disk full");
      }
      super.insert(memories, entries);
    }

    @Override
    public void replace(StoredMemory memory, HistoryEntry entry) {
      writes.add("replace");
      super.replace(memory, entry);
    }

    @Override
    public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries) {
      writes.add("delete " + ids.size());
      return super.delete(partition, ids, entries);
    }
  }

  private final RecordingStore store = new RecordingStore();
  private final HashingEmbedder embedder = new HashingEmbedder();

  private Memory memory() {
    return Memory.builder().config(InMemoryConfig.builder().isolated().build()).store(store)
        .embedder(embedder).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  private static List<EventType> types(ConversationResult result) {
    return result.events().stream().map(MemoryEvent::type).toList();
  }

  @Test
  void aConversationIsOneInsertAndUntimedMessagesCountBackFromTheCall() {
    try (Memory memory = memory()) {
      ConversationResult result = memory.add(ConversationRequest.builder(ALICE).messages(
          Message.user("one"), Message.system("skipped"), Message.assistant("three"),
          Message.user("four").withTimestamp(NOW.minusSeconds(3600)), Message.user("five"))
          .build());

      assertThat(store.writes).containsExactly("insert 4");
      assertThat(result.events()).extracting(event -> event.memory().createdAt()).containsExactly(
          NOW.minusMillis(4), NOW.minusMillis(2), NOW.minusSeconds(3600), NOW);
      assertThat(memory.history(result.events().get(0).memory().id(), ALICE))
          .singleElement().satisfies(entry -> assertThat(entry.at()).isEqualTo(NOW));
    }
  }

  @Test
  void aFailedInsertStoresNothingAndLeavesNoTextBehind() {
    try (Memory memory = memory()) {
      ConversationRequest request = ConversationRequest.builder(ALICE)
          .messages(Message.user("I love pizza"), Message.user("I love pasta")).build();
      store.failInserts = true;

      assertThatThrownBy(() -> memory.add(request)).isInstanceOf(StorageException.class);
      assertThat(memory.getAll("alice", 10, 0).total()).isZero();

      store.failInserts = false;
      assertThat(types(memory.add(request))).containsExactly(EventType.ADD, EventType.ADD);
    }
  }

  @Test
  void knownDuplicatesAreNotEmbedded() {
    try (Memory memory = memory()) {
      memory.add(ConversationRequest.builder(ALICE).messages(Message.user("I love pizza")).build());
      int calls = embedder.documentCalls();

      ConversationResult again = memory.add(ConversationRequest.builder(ALICE)
          .messages(Message.user("I LOVE PIZZA!")).build());
      memory.add(AddRequest.builder("i love pizza", ALICE).deduplicate(true).build());

      assertThat(types(again)).containsExactly(EventType.NONE);
      assertThat(embedder.documentCalls()).isEqualTo(calls);
      assertThat(store.writes).containsExactly("insert 1");
    }
  }

  @Test
  void theTextsOfAStoredPartitionAreKnownWhenItLoads() {
    MemoryRecord held = new MemoryRecord("m1", "alice", "We met in Lisbon", List.of(),
        List.of(), null, Map.of(), NOW, NOW);
    store.insert(List.of(new StoredMemory(PartitionKey.DEFAULT_NAMESPACE, held,
        embedder.embedDocuments(List.of(held.content())).get(0), embedder.id())), List.of());
    try (Memory memory = memory()) {
      var result = memory.add(AddRequest.builder("we met in lisbon.", ALICE).deduplicate(true)
          .build());

      assertThat(result.event()).isEqualTo(EventType.NONE);
      assertThat(result.memory()).isEqualTo(held);
    }
  }

  @Test
  void deleteAllOfAScopeIsOneStoreCallThatKeepsHistory() {
    try (Memory memory = memory()) {
      Scope session = ALICE.withSession("s1");
      MemoryRecord a = memory.add(AddRequest.builder("a", session).build()).memory();
      memory.add(AddRequest.builder("b", session).build());
      memory.add(AddRequest.builder("c", ALICE).build());
      store.writes.clear();

      assertThat(memory.deleteAll(session)).isEqualTo(2);

      assertThat(store.writes).containsExactly("delete 2");
      assertThat(memory.history(a.id(), ALICE)).extracting(HistoryEntry::event)
          .containsExactly(HistoryEntry.Event.ADD, HistoryEntry.Event.DELETE);
      assertThat(memory.history(a.id(), ALICE).get(1).previousContent()).isEqualTo("a");
      assertThatThrownBy(() -> memory.history(a.id(), session))
          .as("a deleted memory can no longer be placed in a session")
          .isInstanceOf(NotFoundException.class);
    }
  }

  @Test
  void inferWithoutAnExtractorNamesTheKeyAndEmbedsNothing() {
    try (Memory memory = memory()) {
      InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
          () -> memory.add(ConversationRequest.builder(ALICE)
              .messages(Message.user("I moved")).infer(true).build()));

      assertThat(e.violations()).containsExactly(new InvalidRequestException.Violation("infer",
          "no extractor is configured: set inmemory.extractor"));
      assertThat(embedder.documentCalls()).isZero();
      assertThat(store.writes).isEmpty();
    }
  }

  @Test
  void anUpdateKeepsTheScopeRoleAndValidity() {
    try (Memory memory = memory()) {
      Scope scope = ALICE.withAgent("planner").withSession("s1");
      MemoryRecord added = memory.add(AddRequest.builder("Dinner at eight", scope)
          .role(Role.ASSISTANT).validFrom(NOW.minusSeconds(60)).build()).memory();

      MemoryRecord updated = memory.update(added.id(), scope,
          UpdateRequest.builder().content("Dinner at nine").build());

      assertThat(updated.scope()).isEqualTo(scope);
      assertThat(updated.role()).isEqualTo(Role.ASSISTANT);
      assertThat(updated.validFrom()).isEqualTo(NOW.minusSeconds(60));
      assertThat(memory.history(added.id(), scope)).extracting(HistoryEntry::agentId)
          .containsExactly("planner", "planner");
    }
  }

  @Test
  void theAsynchronousViewRunsTheScopeAndConversationOperations() throws Exception {
    try (Memory memory = memory()) {
      Scope session = ALICE.withSession("s1");
      var async = memory.async();

      ConversationResult result = async.add(ConversationRequest.builder(session)
          .messages(Message.user("Hello"), Message.assistant("Hi")).build()).get();
      String id = result.events().get(0).memory().id();

      assertThat(async.get(id, session).get()).isPresent();
      assertThat(async.get(id, ALICE.withSession("s2")).get()).isEmpty();
      assertThat(async.update(id, session, UpdateRequest.builder().content("Hello there").build())
          .get().content()).isEqualTo("Hello there");
      assertThat(async.history(id, session).get()).hasSize(2);
      assertThat(async.delete(id, session).get()).isTrue();
      assertThat(async.deleteAll(session).get()).isEqualTo(1);
    }
  }
}
