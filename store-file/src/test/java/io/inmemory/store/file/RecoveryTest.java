package io.inmemory.store.file;

import static io.inmemory.store.file.StoreFiles.ALICE;
import static io.inmemory.store.file.StoreFiles.memory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.StoredMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery from damaged and missing files. A copy of the log taken while the store is open is
 * what a {@code kill -9} leaves behind (no clean-close record); damage is made by hand.
 */
class RecoveryTest {
  @TempDir
  Path temp;

  private final List<StoredMemory> five = List.of(memory("m1"), memory("m2"), memory("m3"),
      memory("m4"), memory("m5"));

  /** Writes the five memories, one call (one record) each, to a new store in {@code dir}. */
  private static void writeEach(FileMemoryStore store, List<StoredMemory> memories) {
    for (StoredMemory memory : memories) {
      store.insert(List.of(memory), List.of());
    }
  }

  /** A store directory holding the five memories as a crashed process would leave them. */
  private Path crashedStore() throws IOException {
    Path original = temp.resolve("original");
    Path crashed = temp.resolve("crashed");
    Files.createDirectories(crashed);
    try (FileMemoryStore store = FileMemoryStore.open(original)) {
      writeEach(store, five);
      Files.copy(original.resolve("memories-0.log"), crashed.resolve("memories-0.log"));
    }
    return crashed;
  }

  /** A cleanly closed store directory holding the five memories. */
  private Path closedStore() {
    Path dir = temp.resolve("closed");
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      writeEach(store, five);
    }
    return dir;
  }

  /** A closed store whose five memories are in its snapshot of generation 1. */
  private Path compactedStore() {
    Path dir = temp.resolve("compacted");
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      writeEach(store, five);
      store.compact();
    }
    return dir;
  }

  /**
   * A snapshot of large memories keeps each frame near a megabyte (frames are encoded whole in
   * the heap), so that compacting memories of a megabyte each does not take hundreds of
   * megabytes at once; the memories and their histories load back exactly.
   */
  @Test
  void snapshotFramesOfLargeMemoriesStayNearAMegabyte() throws IOException {
    Path dir = temp.resolve("large");
    String large = "x".repeat(400_000);
    List<StoredMemory> memories = new ArrayList<>();
    List<HistoryEntry> added = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      StoredMemory small = memory("big" + i);
      MemoryRecord record = small.memory();
      StoredMemory memory = new StoredMemory(small.namespace(), new MemoryRecord(record.id(),
          record.userId(), large + i, record.tags(), record.people(), record.topic(), Map.of(),
          record.createdAt(), record.updatedAt()), small.embedding(), small.embedderId());
      memories.add(memory);
      added.add(new HistoryEntry(record.id(), record.userId(), HistoryEntry.Event.ADD, null,
          memory.memory().content(), Instant.parse("2024-03-01T12:00:00Z")));
    }
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      store.insert(memories, added);
      store.compact();
    }

    Path snapshot = dir.resolve("memories-1.snapshot");
    List<Long> offsets = StoreFiles.frameOffsets(snapshot);
    offsets.add(Files.size(snapshot));
    for (int i = 0; i + 1 < offsets.size(); i++) {
      assertThat(offsets.get(i + 1) - offsets.get(i)).as("frame " + i)
          .isLessThan(2L * 1024 * 1024);
    }
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      assertThat(store.load(ALICE)).extracting(stored -> stored.memory().content())
          .containsExactlyInAnyOrderElementsOf(memories.stream()
              .map(stored -> stored.memory().content()).toList());
      assertThat(store.history(ALICE, "big11")).containsExactly(added.get(11));
    }
  }

  private static List<StoredMemory> contents(Path dir) {
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      return store.load(ALICE);
    }
  }

  @Test
  void aTornTailIsTruncatedWithAWarningNamingTheOffset() throws IOException {
    Path dir = crashedStore();
    Path log = dir.resolve("memories-0.log");
    long lastRecord = StoreFiles.frameOffsets(log).get(4);
    StoreFiles.truncate(log, lastRecord + 30);

    AtomicReference<List<StoredMemory>> loaded = new AtomicReference<>();
    String stderr = StoreFiles.stderrOf(() -> loaded.set(contents(dir)));

    assertThat(loaded.get()).containsExactlyInAnyOrderElementsOf(five.subList(0, 4));
    assertThat(stderr).contains("WARN", log.toString(), "byte offset " + lastRecord);
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      store.insert(List.of(memory("m6")), List.of());
    }
    assertThat(contents(dir)).extracting(StoredMemory::id)
        .containsExactlyInAnyOrder("m1", "m2", "m3", "m4", "m6");
  }

  @Test
  void aZeroFilledTailIsATornWrite() throws IOException {
    Path dir = crashedStore();
    Path log = dir.resolve("memories-0.log");
    long size = Files.size(log);
    Files.write(log, new byte[4096], StandardOpenOption.APPEND);

    assertThat(contents(dir)).containsExactlyInAnyOrderElementsOf(five);
    assertThat(Files.size(log)).isGreaterThanOrEqualTo(size).isLessThan(size + 4096);
  }

  @Test
  void aFlippedByteInAMiddleRecordFailsTheOpenWithFileAndOffset() throws IOException {
    Path dir = closedStore();
    Path log = dir.resolve("memories-0.log");
    long second = StoreFiles.frameOffsets(log).get(1);
    StoreFiles.flipByte(log, second + 20 + 40);
    byte[] damaged = Files.readAllBytes(log);

    assertThatThrownBy(() -> FileMemoryStore.open(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(log.toString())
        .hasMessageContaining("byte offset " + second)
        .hasMessageContaining("Restore")
        .hasMessageContaining("truncate -s " + second);
    assertThat(Files.readAllBytes(log)).as("nothing changed on disk").isEqualTo(damaged);
  }

  @Test
  void aDamagedRecordLengthInTheMiddleIsFoundByScanningForLaterRecords() throws IOException {
    Path dir = crashedStore();
    Path log = dir.resolve("memories-0.log");
    long third = StoreFiles.frameOffsets(log).get(2);
    StoreFiles.writeInt(log, third, 1 << 30);

    assertThatThrownBy(() -> FileMemoryStore.open(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("byte offset " + third)
        .hasMessageContaining("header fails its checksum");
  }

  @Test
  void damageToTheLastRecordOfACleanlyClosedLogIsCorruptionNotATornTail() throws IOException {
    Path dir = closedStore();
    Path log = dir.resolve("memories-0.log");
    long last = StoreFiles.frameOffsets(log).get(4);
    StoreFiles.flipByte(log, last + 25);

    assertThatThrownBy(() -> FileMemoryStore.open(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("byte offset " + last);
  }

  @Test
  void aMissingSnapshotFailsTheOpenNamingTheFile() throws IOException {
    Path dir = temp.resolve("store");
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      writeEach(store, five.subList(0, 2));
      store.compact();
      writeEach(store, five.subList(2, 5));
    }
    Path snapshot = dir.resolve("memories-1.snapshot");
    Files.delete(snapshot);

    assertThatThrownBy(() -> FileMemoryStore.open(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(snapshot.toString())
        .hasMessageContaining("missing");
    assertThat(dir.resolve("memories-1.log")).exists();
  }

  @Test
  void aCompactionInterruptedBeforeItsSnapshotReplaysBothLogs() throws IOException {
    Path dir = temp.resolve("store");
    Path saved = temp.resolve("saved-log-0");
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      writeEach(store, five.subList(0, 2));
      Files.copy(dir.resolve("memories-0.log"), saved);
      store.compact();
      writeEach(store, five.subList(2, 5));
    }
    // As if the process died after starting log 1 but before snapshot 1 was complete.
    Files.delete(dir.resolve("memories-1.snapshot"));
    Files.copy(saved, dir.resolve("memories-0.log"));

    assertThat(contents(dir)).containsExactlyInAnyOrderElementsOf(five);
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      store.compact();
    }
    assertThat(names(dir)).containsExactlyInAnyOrder("memories-2.log", "memories-2.snapshot",
        StoreDirectory.LOCK_FILE);
    assertThat(contents(dir)).containsExactlyInAnyOrderElementsOf(five);
  }

  @Test
  void aDamagedSnapshotFailsTheOpenWithFileAndOffset() throws IOException {
    Path dir = compactedStore();
    Path snapshot = dir.resolve("memories-1.snapshot");
    long memories = StoreFiles.frameOffsets(snapshot).get(0);
    StoreFiles.flipByte(snapshot, memories + 300);

    assertThatThrownBy(() -> FileMemoryStore.open(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(snapshot.toString())
        .hasMessageContaining("byte offset " + memories);
  }

  @Test
  void aSnapshotCutShortAtARecordBoundaryFailsTheOpen() throws IOException {
    Path dir = compactedStore();
    Path snapshot = dir.resolve("memories-1.snapshot");
    List<Long> frames = StoreFiles.frameOffsets(snapshot);
    StoreFiles.truncate(snapshot, frames.get(frames.size() - 1));

    assertThatThrownBy(() -> FileMemoryStore.open(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("without its end record");
  }

  @Test
  void aNewerFormatVersionIsRefusedWithoutTouchingTheFiles() throws IOException {
    Path dir = closedStore();
    Path log = dir.resolve("memories-0.log");
    StoreFiles.writeInt(log, 8, Frames.FORMAT_VERSION + 1);
    byte[] before = Files.readAllBytes(log);

    assertThatThrownBy(() -> FileMemoryStore.open(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("format version " + (Frames.FORMAT_VERSION + 1))
        .hasMessageContaining("Upgrade inmemory-store-file");
    assertThat(Files.readAllBytes(log)).isEqualTo(before);
  }

  @Test
  void theUnreleasedFormatVersionOneIsRefusedWithoutTouchingTheFiles() throws IOException {
    Path dir = closedStore();
    Path log = dir.resolve("memories-0.log");
    StoreFiles.setFormatVersion(log, 1);
    byte[] before = Files.readAllBytes(log);

    assertThatThrownBy(() -> FileMemoryStore.open(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(log.toString())
        .hasMessageContaining("format version 1")
        .hasMessageContaining("reads formats 2 to " + Frames.FORMAT_VERSION + " only")
        .hasMessageContaining("Move the directory " + dir);
    assertThat(Files.readAllBytes(log)).isEqualTo(before);
  }

  @Test
  void aForeignFileWithAStoreNameIsRefused() throws IOException {
    Path dir = temp.resolve("store");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("memories-0.log"), "not a log at all, just text");

    assertThatThrownBy(() -> FileMemoryStore.open(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("is not an InMemory log file");
  }

  @Test
  void temporaryFilesOfAnInterruptedWriteAreRemoved() throws IOException {
    Path dir = closedStore();
    Files.writeString(dir.resolve("memories-1.snapshot.tmp"), "half a snapshot");

    assertThat(contents(dir)).containsExactlyInAnyOrderElementsOf(five);
    assertThat(dir.resolve("memories-1.snapshot.tmp")).doesNotExist();
  }

  private static List<String> names(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(file -> names.add(file.getFileName().toString()));
    }
    return names;
  }
}
