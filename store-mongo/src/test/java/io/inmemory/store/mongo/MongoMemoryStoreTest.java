package io.inmemory.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.inmemory.ConflictException;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the store contract does not see: the document layout and the limits of no transactions. */
class MongoMemoryStoreTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");
  private static final PartitionKey ALICE = new PartitionKey("default", "alice");

  private final String database = MongoFixture.newDatabase();
  private final MongoClient client = MongoClients.create(MongoFixture.uri());
  private final MongoMemoryStore store = MongoFixture.openStore(database);

  @AfterEach
  void close() {
    store.close();
    client.close();
  }

  private static StoredMemory memory(String content, Map<String, Object> metadata) {
    return new StoredMemory("default", new MemoryRecord(UUID.randomUUID().toString(), "alice",
        content, List.of(), List.of(), null, metadata, T0, T0), new float[] {0.5f, -0.5f}, "e:1");
  }

  private static HistoryEntry added(StoredMemory memory) {
    return new HistoryEntry(memory.id(), "alice", HistoryEntry.Event.ADD, null,
        memory.memory().content(), T0);
  }

  private Document raw(String id) {
    return client.getDatabase(database).getCollection(Schema.MEMORIES)
        .find(Filters.eq("memoryId", id)).first();
  }

  @Test
  void metadataKeysThatAreNotLegalFieldNamesRoundTrip() {
    StoredMemory memory = memory("odd keys", Map.of("$where", 1L, "a.b", Map.of("c%2Ed", List.of(
        1L, 2.5, "x", true, Map.of("$$", "nested"))), "plain", "kept"));
    store.insert(List.of(memory), List.of(added(memory)));

    assertThat(store.load(ALICE)).containsExactly(memory);
    assertThat(raw(memory.id()).get("metadata", Document.class).keySet())
        .containsExactlyInAnyOrder("%24where", "a%2eb", "plain");
  }

  @Test
  void aDeletedMemoryBecomesATombstoneThatKeepsItsHistoryAndItsId() {
    StoredMemory memory = memory("to be deleted", Map.of());
    store.insert(List.of(memory), List.of(added(memory)));
    store.delete(ALICE, List.of(memory.id()), List.of(new HistoryEntry(memory.id(), "alice",
        HistoryEntry.Event.DELETE, "to be deleted", null, T0.plusSeconds(1))));

    Document tombstone = raw(memory.id());
    assertThat(tombstone.getBoolean("deleted")).isTrue();
    assertThat(tombstone).doesNotContainKeys("content", "embedding", "embedderId", "tags",
        "history");
    assertThat(tombstone.getInteger("version")).isEqualTo(2);
    assertThat(entries(memory.id())).extracting(entry -> entry.getString("event"))
        .containsExactly("ADD", "DELETE");
    assertThat(store.history(ALICE, memory.id())).extracting(HistoryEntry::event)
        .containsExactly(HistoryEntry.Event.ADD, HistoryEntry.Event.DELETE);
    assertThatThrownBy(() -> store.insert(List.of(memory), List.of(added(memory))))
        .isInstanceOf(ConflictException.class).hasMessageContaining("not reused");
    assertThat(store.load(ALICE)).isEmpty();
  }

  @Test
  void aBatchThatFailsPartWayLeavesNothingBehind() {
    StoredMemory first = memory("first", Map.of());
    StoredMemory second = memory("second", Map.of());
    StoredMemory oversized = memory("x".repeat(17 << 20), Map.of());
    List<StoredMemory> batch = List.of(first, second, oversized);

    assertThatThrownBy(() -> store.insert(batch, batch.stream()
        .map(MongoMemoryStoreTest::added).toList()))
        .isInstanceOf(StorageException.class).hasMessageContaining("16 MB");
    assertThat(store.load(ALICE)).isEmpty();
    assertThat(store.history(ALICE, first.id())).isEmpty();
    assertThat(client.getDatabase(database).getCollection(Schema.HISTORY).countDocuments())
        .as("the entries of the failed insert are removed too").isZero();
  }

  @Test
  void historyIsNotBoundByTheDocumentSizeLimit() {
    int updates = 40;
    String base = "x".repeat((1 << 20) - 16);
    StoredMemory memory = memory(base + "v0", Map.of());
    store.insert(List.of(memory), List.of(added(memory)));
    List<HistoryEntry> expected = new ArrayList<>(List.of(added(memory)));
    for (int i = 1; i <= updates; i++) {
      StoredMemory next = withContent(memory, base + "v" + i, T0.plusSeconds(i));
      HistoryEntry entry = new HistoryEntry(memory.id(), "alice", HistoryEntry.Event.UPDATE,
          memory.memory().content(), next.memory().content(), T0.plusSeconds(i));
      store.replace(next, entry);
      expected.add(entry);
      memory = next;
    }

    List<HistoryEntry> history = store.history(ALICE, memory.id());
    assertThat(history).hasSize(updates + 1);
    for (int i = 0; i < history.size(); i++) {
      // Element by element: a failure message of 80 MB of content helps no one.
      assertThat(history.get(i).equals(expected.get(i))).as("entry %d", i).isTrue();
    }
    assertThat(store.load(ALICE)).containsExactly(memory);
    assertThat(raw(memory.id()).getInteger("version")).isEqualTo(updates + 1);
  }

  @Test
  void anOrphanEntryIsInvisibleAndTheNextChangeOverwritesIt() {
    StoredMemory memory = memory("before", Map.of());
    store.insert(List.of(memory), List.of(added(memory)));
    // What a change that crashed between its two writes leaves: an entry at version 2 while the
    // memory document is still at version 1.
    client.getDatabase(database).getCollection(Schema.HISTORY).insertOne(new Document()
        .append("namespace", "default").append("userId", "alice")
        .append("memoryId", memory.id()).append("version", 2).append("event", "UPDATE")
        .append("previousContent", "before").append("newContent", "never stored")
        .append("at", Date.from(T0)).append("change", "crashed"));

    assertThat(store.history(ALICE, memory.id())).containsExactly(added(memory));
    assertThat(store.load(ALICE)).containsExactly(memory);

    StoredMemory updated = withContent(memory, "after", T0.plusSeconds(5));
    HistoryEntry entry = new HistoryEntry(memory.id(), "alice", HistoryEntry.Event.UPDATE,
        "before", "after", T0.plusSeconds(5));
    store.replace(updated, entry);

    assertThat(store.history(ALICE, memory.id())).containsExactly(added(memory), entry);
    assertThat(entries(memory.id())).hasSize(2);
    assertThat(store.load(ALICE)).containsExactly(updated);
  }

  /**
   * Two processes writing one memory at once (the engine serializes writes within a process): the
   * loser of each race gets a conflict, and its entry never stays in history.
   */
  @Test
  void twoWritersRacingOnOneMemoryNeverLeaveALosersEntryInHistory() throws Exception {
    StoredMemory memory = memory("start", Map.of());
    store.insert(List.of(memory), List.of(added(memory)));
    List<String> committed = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
    try (MongoMemoryStore other = MongoFixture.openStore(database)) {
      List<Thread> writers = new ArrayList<>();
      for (MongoMemoryStore writer : List.of(store, other)) {
        String id = writer == store ? "a" : "b";
        writers.add(new Thread(() -> {
          for (int i = 0; i < 40; i++) {
            String content = "writer " + id + " change " + i;
            Instant at = T0.plusSeconds(1 + i);
            try {
              writer.replace(withContent(memory, content, at), new HistoryEntry(memory.id(),
                  "alice", HistoryEntry.Event.UPDATE, null, content, at));
              committed.add(content);
            } catch (ConflictException lost) {
              // The other writer got to this version first; this change is not stored.
            } catch (RuntimeException e) {
              unexpected.add(e);
            }
          }
        }));
      }
      writers.forEach(Thread::start);
      for (Thread writer : writers) {
        writer.join();
      }
    }

    assertThat(unexpected).isEmpty();
    List<HistoryEntry> history = store.history(ALICE, memory.id());
    assertThat(history).hasSize(committed.size() + 1);
    assertThat(history.subList(1, history.size())).extracting(HistoryEntry::newContent)
        .containsExactlyInAnyOrderElementsOf(committed);
    assertThat(store.load(ALICE)).singleElement().extracting(stored -> stored.memory().content())
        .isEqualTo(history.get(history.size() - 1).newContent());
    assertThat(entries(memory.id())).as("no entries above the memory's version").hasSize(
        history.size());
  }

  private List<Document> entries(String id) {
    return client.getDatabase(database).getCollection(Schema.HISTORY)
        .find(Filters.eq("memoryId", id)).sort(new Document("version", 1))
        .into(new ArrayList<>());
  }

  private static StoredMemory withContent(StoredMemory memory, String content, Instant at) {
    MemoryRecord record = memory.memory();
    return new StoredMemory(memory.namespace(), new MemoryRecord(record.id(), record.userId(),
        content, record.tags(), record.people(), record.topic(), record.metadata(),
        record.createdAt(), at), memory.embedding(), memory.embedderId());
  }

  @Test
  void aStoreOnAGivenClientLeavesItOpen() {
    MongoMemoryStore borrowed = MongoMemoryStore.builder().client(client).database(database)
        .open();
    borrowed.ping();
    borrowed.close();

    assertThat(client.getDatabase(database).listCollectionNames().into(new ArrayList<>()))
        .contains(Schema.MEMORIES);
    assertThatThrownBy(borrowed::ping).isInstanceOf(IllegalStateException.class);
  }
}
