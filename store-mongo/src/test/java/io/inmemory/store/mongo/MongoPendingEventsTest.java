package io.inmemory.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.OutboxEvent;
import io.inmemory.engine.tenant.WebhookStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The visibility rule of MongoDB's pending events: a marked entry whose memory never reached its
 * version (its writer died between the two writes) is never an event, and its mark is cleared once
 * older than the pending timeout; a later write over the orphan keeps its own mark.
 */
class MongoPendingEventsTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");
  /** The store's pending timeout: {@code ChangeFeedSettings.PENDING_TIMEOUT}'s default. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final String database = MongoFixture.newDatabase();
  private final MongoClient client = MongoClients.create(MongoFixture.uri());
  private final MongoCollection<BsonDocument> history =
      client.getDatabase(database).getCollection(Schema.HISTORY, BsonDocument.class);
  private final MongoMemoryStore store = MongoMemoryStore.builder().uri(MongoFixture.uri())
      .database(database).recordEvents(true).open();
  private final WebhookStore webhooks = store.access().webhooks().orElseThrow();

  @AfterEach
  void close() {
    store.close();
    client.close();
  }

  private static HistoryEntry entry(String memoryId, HistoryEntry.Event event, String content,
      Instant at) {
    return new HistoryEntry(memoryId, "alice", event, null, content, at);
  }

  @Test
  void anOrphanOfADeadWriterIsNeverAnEventAndAWriteOverItKeepsItsMark() {
    StoredMemory memory = new StoredMemory("hooks", new MemoryRecord("m1", "alice", "tea",
        List.of(), List.of(), null, Map.of(), T0, T0), new float[] {0.6f, 0.8f}, "test:1");
    HistoryEntry added = entry("m1", HistoryEntry.Event.ADD, "tea", T0);
    store.insert(List.of(memory), List.of(added));
    // a writer that died after writing its entry at version 2, before moving the memory there
    history.insertOne(Documents.historyEntry("hooks",
        entry("m1", HistoryEntry.Event.UPDATE, "orphan", T0), 2, "dead-writer", 0));

    assertThat(webhooks.pendingEvents(10, T0)).extracting(OutboxEvent::entry)
        .containsExactly(added);
    assertThat(webhooks.pendingEvents(10, T0.plus(TIMEOUT).plusSeconds(1)))
        .extracting(OutboxEvent::entry).containsExactly(added);
    assertThat(history.find(Filters.eq(Documents.CHANGE, "dead-writer")).first())
        .as("the orphan's mark is cleared").doesNotContainKey(Documents.PENDING_EVENT);

    HistoryEntry update = entry("m1", HistoryEntry.Event.UPDATE, "green tea", T0.plusSeconds(1));
    store.replace(new StoredMemory("hooks", new MemoryRecord("m1", "alice", "green tea",
        List.of(), List.of(), null, Map.of(), T0, T0), memory.embedding(), "test:1"), update);

    assertThat(webhooks.pendingEvents(10, T0.plus(TIMEOUT).plusSeconds(2)))
        .extracting(OutboxEvent::entry).containsExactly(added, update);
    assertThat(store.history(new PartitionKey("hooks", "alice"), "m1"))
        .containsExactly(added, update);
  }
}
