package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.HistoryEntry;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.OutboxEvent;
import io.inmemory.engine.tenant.WebhookStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store of format 3, written by the code of that format ({@code src/test/resources/format-v3/},
 * see {@link FormatFixture}), opens with every record, none of its history announced as a webhook
 * event (format 3 had no events byte), and is rewritten in format 4, whose writes are marked.
 */
class FormatV3MigrationTest {
  @TempDir
  Path temp;

  @Test
  void aFormatThreeStoreOpensWithEverythingAndNoEventsAndIsRewrittenInFormatFour() {
    Path dir = FormatV2MigrationTest.fixtureCopy("format-v3", temp.resolve("v3"));
    assertThat(FormatV2MigrationTest.storeFiles(dir))
        .isEqualTo(Map.of("memories-1.log", 3, "memories-1.snapshot", 3));
    List<Object> expected = FormatV2MigrationTest.expected(temp.resolve("fresh"));
    StoredMemory added = StoreFiles.memory("after-migration");

    String log = StoreFiles.stderrOf(() -> {
      try (FileMemoryStore store = FileMemoryStore.builder(dir).recordEvents(true).open()) {
        assertThat(FormatFixture.dump(store)).isEqualTo(expected);
        WebhookStore webhooks = store.access().webhooks().orElseThrow();
        assertThat(webhooks.pendingEvents(10, Instant.now())).isEmpty();
        store.insert(List.of(added), List.of(new HistoryEntry(added.id(), "alice",
            HistoryEntry.Event.ADD, null, added.memory().content(), Instant.now())));
      }
    });

    assertThat(log).containsOnlyOnce("Migrated store format 3 -> 4 in " + dir + " (6 memories)");
    assertThat(FormatV2MigrationTest.storeFiles(dir))
        .isEqualTo(Map.of("memories-2.log", 4, "memories-2.snapshot", 4));
    try (FileMemoryStore store = FileMemoryStore.builder(dir).recordEvents(true).open()) {
      assertThat(store.access().webhooks().orElseThrow().pendingEvents(10, Instant.now()))
          .extracting(OutboxEvent::entry).extracting(HistoryEntry::memoryId)
          .containsExactly(added.id());
      assertThat(store.load(new PartitionKey(added.namespace(), "alice"))).contains(added);
    }
  }
}
