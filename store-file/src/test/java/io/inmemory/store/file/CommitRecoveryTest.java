package io.inmemory.store.file;

import static io.inmemory.store.file.StoreFiles.ALICE;
import static io.inmemory.store.file.StoreFiles.memory;
import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.StoredMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link FileMemoryStore#commit} is one log record: after a crash, recovery finds all of it
 * (the new memory, the superseded one and both entries) or, when its record is torn, none of it.
 */
class CommitRecoveryTest {
  private static final Instant AT = Instant.parse("2024-03-02T08:00:00Z");

  @TempDir
  Path temp;

  private final StoredMemory old = memory("old");
  private final StoredMemory next = memory("next");
  private final ChangeSet supersede = new ChangeSet(ALICE, List.of(next),
      List.of(superseded(old, next)),
      List.of(new HistoryEntry(next.id(), "alice", HistoryEntry.Event.ADD, null,
              next.memory().content(), AT, null, old.id()),
          new HistoryEntry(old.id(), "alice", HistoryEntry.Event.SUPERSEDE,
              old.memory().content(), null, AT, null, next.id())));

  private static StoredMemory superseded(StoredMemory memory, StoredMemory by) {
    MemoryRecord r = memory.memory();
    return new StoredMemory(memory.namespace(), new MemoryRecord(r.id(), r.userId(), r.content(),
        r.tags(), r.people(), r.topic(), r.metadata(), r.createdAt(), AT, null, null, null,
        r.validFrom(), AT, by.id()), memory.embedding(), memory.embedderId());
  }

  /** The log as a crash right after the commit returned leaves it (no clean-close record). */
  private Path crashedAfterCommit() throws IOException {
    Path original = temp.resolve("original");
    Path crashed = temp.resolve("crashed");
    Files.createDirectories(crashed);
    try (FileMemoryStore store = FileMemoryStore.open(original)) {
      store.insert(List.of(old), List.of(new HistoryEntry(old.id(), "alice",
          HistoryEntry.Event.ADD, null, old.memory().content(), AT.minusSeconds(60))));
      store.commit(supersede);
      Files.copy(original.resolve("memories-0.log"), crashed.resolve("memories-0.log"));
    }
    return crashed;
  }

  @Test
  void anIntactCommitRecordIsRecoveredWhole() throws IOException {
    Path dir = crashedAfterCommit();

    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      assertThat(store.load(ALICE)).containsExactlyInAnyOrder(next, supersede.replaced().get(0));
      assertThat(store.history(ALICE, old.id())).hasSize(2).last()
          .isEqualTo(supersede.entries().get(1));
      assertThat(store.history(ALICE, next.id())).containsExactly(supersede.entries().get(0));
    }
  }

  @Test
  void aTornCommitRecordIsDroppedWhole() throws IOException {
    Path dir = crashedAfterCommit();
    Path log = dir.resolve("memories-0.log");
    List<Long> frames = StoreFiles.frameOffsets(log);
    long commit = frames.get(frames.size() - 1);
    StoreFiles.truncate(log, (commit + Files.size(log)) / 2);

    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      assertThat(store.load(ALICE)).containsExactly(old);
      assertThat(store.history(ALICE, old.id())).extracting(HistoryEntry::event)
          .containsExactly(HistoryEntry.Event.ADD);
      assertThat(store.history(ALICE, next.id())).isEmpty();
    }
  }
}
