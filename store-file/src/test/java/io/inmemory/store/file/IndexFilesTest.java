package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.StorageException;
import io.inmemory.engine.spi.IndexSnapshots;
import io.inmemory.engine.spi.PartitionKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store's index snapshot files: where they live, atomic replacement, what keeps them. */
class IndexFilesTest {
  private static final PartitionKey BOB = new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, "bob");

  @TempDir
  Path dir;

  @Test
  void aSnapshotIsReadBackFromTheIndexDirectory() throws IOException {
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      IndexSnapshots snapshots = store.indexSnapshots().orElseThrow();
      assertThat(store.indexSnapshots()).containsSame(snapshots);
      assertThat(snapshots.read(StoreFiles.ALICE)).isEmpty();

      write(snapshots, StoreFiles.ALICE, "alice's graph");
      write(snapshots, BOB, "bob's graph");
      write(snapshots, new PartitionKey("other", "alice"), "another namespace's graph");

      assertThat(read(snapshots, StoreFiles.ALICE)).isEqualTo("alice's graph");
      assertThat(read(snapshots, BOB)).isEqualTo("bob's graph");
      try (var files = Files.list(dir.resolve(IndexFiles.DIR))) {
        assertThat(files.map(file -> file.getFileName().toString()))
            .hasSize(3).allMatch(name -> name.matches("[0-9a-f]{64}\\.hnsw"));
      }
      snapshots.delete(BOB);
      assertThat(snapshots.read(BOB)).isEmpty();
      assertThat(read(snapshots, StoreFiles.ALICE)).isEqualTo("alice's graph");
    }
  }

  @Test
  void aFailedWriteKeepsThePreviousSnapshotAndLeavesNoTemporaryFile() throws IOException {
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      IndexSnapshots snapshots = store.indexSnapshots().orElseThrow();
      write(snapshots, StoreFiles.ALICE, "complete");

      assertThatThrownBy(() -> snapshots.write(StoreFiles.ALICE, out -> {
        out.write("half of a new one".getBytes(StandardCharsets.UTF_8));
        throw new IOException("disk full");
      })).hasMessage("disk full");

      assertThat(read(snapshots, StoreFiles.ALICE)).isEqualTo("complete");
      try (var files = Files.list(dir.resolve(IndexFiles.DIR))) {
        assertThat(files).noneMatch(file -> file.toString().endsWith(".tmp"));
      }
    }
  }

  @Test
  void temporaryFilesOfAnInterruptedWriteAreDeletedOnOpen() throws IOException {
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      write(store.indexSnapshots().orElseThrow(), StoreFiles.ALICE, "kept");
    }
    Path leftover = dir.resolve(IndexFiles.DIR).resolve("0123.hnsw.tmp");
    Files.writeString(leftover, "torn");

    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      assertThat(leftover).doesNotExist();
      assertThat(read(store.indexSnapshots().orElseThrow(), StoreFiles.ALICE)).isEqualTo("kept");
    }
  }

  @Test
  void compactionAndReopeningKeepSnapshots() throws IOException {
    try (FileMemoryStore store = FileMemoryStore.builder(dir).compactionLogSize(1).open()) {
      write(store.indexSnapshots().orElseThrow(), StoreFiles.ALICE, "graph");
      for (int i = 0; i < 20; i++) {
        store.insert(List.of(StoreFiles.memory("m" + i)), List.of());
      }
      store.compact();
      assertThat(dir.toFile().list()).anyMatch(name -> name.endsWith(".snapshot"));
      assertThat(read(store.indexSnapshots().orElseThrow(), StoreFiles.ALICE)).isEqualTo("graph");
    }
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      assertThat(read(store.indexSnapshots().orElseThrow(), StoreFiles.ALICE)).isEqualTo("graph");
      assertThat(store.load(StoreFiles.ALICE)).hasSize(20);
    }
  }

  @Test
  void theDirectoryLockCoversSnapshotsAndAClosedStoreRefusesThem() throws IOException {
    IndexSnapshots snapshots;
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      snapshots = store.indexSnapshots().orElseThrow();
      write(snapshots, StoreFiles.ALICE, "mine");
      assertThatThrownBy(() -> FileMemoryStore.open(dir)).isInstanceOf(StorageException.class);
    }
    assertThatThrownBy(() -> snapshots.read(StoreFiles.ALICE))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> write(snapshots, StoreFiles.ALICE, "late"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> snapshots.delete(StoreFiles.ALICE))
        .isInstanceOf(IllegalStateException.class);
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      assertThat(read(store.indexSnapshots().orElseThrow(), StoreFiles.ALICE)).isEqualTo("mine");
    }
  }

  private static void write(IndexSnapshots snapshots, PartitionKey key, String content)
      throws IOException {
    snapshots.write(key, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
  }

  private static String read(IndexSnapshots snapshots, PartitionKey key) throws IOException {
    Optional<InputStream> in = snapshots.read(key);
    assertThat(in).isPresent();
    try (InputStream stream = in.get()) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
