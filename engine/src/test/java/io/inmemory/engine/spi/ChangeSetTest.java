package io.inmemory.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeSetTest {

  private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
  private static final PartitionKey ALICE = PartitionKey.user("ns", "alice");

  private static StoredMemory memory(String id, String userId) {
    return new StoredMemory("ns", new MemoryRecord(id, userId, "c " + id, List.of(), List.of(),
        null, Map.of(), T, T), new float[] {1}, "e");
  }

  private static HistoryEntry entry(String id, String userId, HistoryEntry.Event event) {
    return new HistoryEntry(id, userId, event, null, "c " + id, T);
  }

  @Test
  void entriesAreMatchedToInsertedThenReplacedMemories() {
    ChangeSet changes = new ChangeSet(ALICE, List.of(memory("new", "alice")),
        List.of(memory("old", "alice")), List.of(entry("old", "alice",
            HistoryEntry.Event.SUPERSEDE), entry("new", "alice", HistoryEntry.Event.ADD)));

    assertThat(changes.memories()).extracting(StoredMemory::id).containsExactly("new", "old");
    assertThat(changes.owners()).containsExactly(1, 0);
  }

  @Test
  void everyMemoryMustBelongToThePartitionOnce() {
    assertThatThrownBy(() -> new ChangeSet(ALICE, List.of(memory("m", "bob")), List.of(),
        List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not of");
    assertThatThrownBy(() -> new ChangeSet(ALICE, List.of(memory("m", "alice")),
        List.of(memory("m", "alice")), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("changed twice");
    assertThatThrownBy(() -> new ChangeSet(ALICE, List.of(memory("m", "alice")), List.of(),
        List.of(entry("other", "alice", HistoryEntry.Event.ADD))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in");
  }
}
