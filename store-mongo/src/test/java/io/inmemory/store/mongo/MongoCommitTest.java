package io.inmemory.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.inmemory.ConflictException;
import io.inmemory.HistoryEntry;
import io.inmemory.HistoryEntry.Event;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.Change;
import io.inmemory.engine.spi.ChangeKind;
import io.inmemory.engine.spi.ChangeReader;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code commit} without transactions, in an agent's own partition: its documents carry the
 * owner {@code ~bot}, a conflict is found before anything is written, and a write failing in the
 * middle is undone to the byte (the documents and entries as they were before the call).
 */
class MongoCommitTest {
  private static final Instant T0 = Instant.parse("2025-05-05T05:05:05.505Z");
  private static final PartitionKey BOT = PartitionKey.agent("default", "bot");

  private final String database = MongoFixture.newDatabase();
  private final MongoClient client = MongoClients.create(MongoFixture.uri());
  private final MongoDatabase db = client.getDatabase(database);
  private final MongoMemoryStore store = MongoFixture.openStore(database);
  private final StoredMemory first = memory("m-1", "Reply in English", null, null);
  private final StoredMemory second = memory("m-2", "Keep answers short", null, null);

  @BeforeEach
  void storeTwo() {
    store.insert(List.of(first, second), List.of(entry(first, Event.ADD, null),
        entry(second, Event.ADD, null)));
  }

  @AfterEach
  void close() {
    store.close();
    client.close();
  }

  private static StoredMemory memory(String id, String content, Instant invalidAt,
      String supersededBy) {
    return new StoredMemory("default", new MemoryRecord(id, null, content, List.of("style"),
        List.of(), null, Map.of(), T0, invalidAt == null ? T0 : invalidAt, "bot", "s-1", null, T0,
        invalidAt, supersededBy), new float[] {0.25f, -0.75f}, "e:1");
  }

  private static HistoryEntry entry(StoredMemory memory, Event event, String relatedId) {
    return new HistoryEntry(memory.id(), null, event, null, "recorded", T0, "bot", relatedId);
  }

  /** Every document of the two collections, as stored. */
  private List<BsonDocument> everything() {
    List<BsonDocument> documents = new ArrayList<>();
    for (String collection : List.of(Schema.MEMORIES, Schema.HISTORY)) {
      db.getCollection(collection, BsonDocument.class).find().into(documents);
    }
    return documents;
  }

  @Test
  void theOwnerIsStoredAndTheRecordsReadBackWithoutAUser() {
    StoredMemory successor = memory("m-3", "Reply in German", null, null);
    StoredMemory superseded = memory("m-1", first.memory().content(), T0.plusSeconds(9), "m-3");

    store.commit(new ChangeSet(BOT, List.of(successor), List.of(superseded),
        List.of(entry(successor, Event.ADD, "m-1"), entry(superseded, Event.SUPERSEDE, "m-3"))));

    assertThat(store.load(BOT)).containsExactlyInAnyOrder(successor, superseded, second);
    assertThat(store.history(BOT, "m-1")).containsExactly(entry(first, Event.ADD, null),
        entry(superseded, Event.SUPERSEDE, "m-3"));
    assertThat(store.load(PartitionKey.user("default", "bot"))).isEmpty();
    assertThat(everything()).allSatisfy(document ->
        assertThat(document.getString(Documents.USER_ID).getValue()).isEqualTo("~bot"));
  }

  @Test
  void aConflictOrAMissingMemoryIsFoundBeforeAnythingIsWritten() {
    List<BsonDocument> before = everything();
    StoredMemory fresh = memory("m-9", "Never stored", null, null);
    StoredMemory changed = memory("m-2", "Changed", T0.plusSeconds(1), "m-9");

    assertThatThrownBy(() -> store.commit(new ChangeSet(BOT, List.of(fresh, first),
        List.of(changed), List.of(entry(fresh, Event.ADD, null)))))
        .isInstanceOf(ConflictException.class).hasMessageContaining("m-1");
    assertThatThrownBy(() -> store.commit(new ChangeSet(BOT, List.of(fresh),
        List.of(changed, memory("m-missing", "x", null, null)),
        List.of(entry(changed, Event.SUPERSEDE, "m-9")))))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("m-missing");
    assertThat(everything()).isEqualTo(before);
  }

  /**
   * The second replacement is over MongoDB's 16 MB document limit, so the driver refuses it after
   * the entries, the insert and the first replacement were written: all of them are undone. Other
   * processes may have loaded the partition meanwhile, so the change is delivered and what it
   * names re-reads as before.
   */
  @Test
  void aWriteFailingInTheMiddleIsUndone() {
    List<BsonDocument> before = everything();
    MongoMemoryStore other = MongoFixture.openStore(database);
    ChangeReader reader = other.changeFeed().orElseThrow().openReader();
    StoredMemory successor = memory("m-3", "Reply in German", null, null);
    StoredMemory superseded = memory("m-1", first.memory().content(), T0.plusSeconds(9), "m-3");
    StoredMemory oversized = memory("m-2", "x".repeat(17 << 20), null, null);

    assertThatThrownBy(() -> store.commit(new ChangeSet(BOT, List.of(successor),
        List.of(superseded, oversized), List.of(entry(successor, Event.ADD, "m-1"),
            entry(superseded, Event.SUPERSEDE, "m-3"), entry(oversized, Event.UPDATE, null)))))
        .isInstanceOf(StorageException.class).hasMessageContaining("16 MB");

    assertThat(everything()).isEqualTo(before);
    assertThat(store.load(BOT)).containsExactlyInAnyOrder(first, second);
    List<Change> delivered = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (delivered.isEmpty() && System.nanoTime() < deadline) {
      delivered.addAll(reader.next(10, Duration.ofMillis(50)).changes());
    }
    assertThat(delivered).singleElement().satisfies(change -> {
      assertThat(change.kind()).isEqualTo(ChangeKind.COMMIT);
      assertThat(change.memoryIds()).containsExactlyInAnyOrder("m-3", "m-1", "m-2");
      assertThat(other.load(BOT, change.memoryIds())).containsExactlyInAnyOrder(first, second);
    });
    reader.close();
    other.close();
  }
}
