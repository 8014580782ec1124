package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.StorageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One open store per directory, within one JVM: a second open fails clearly and damages nothing.
 * Another process is refused too, see {@link FileLocalStoreTest}.
 */
class LockTest {
  @TempDir
  Path temp;

  @Test
  void aSecondStoreInTheSameJvmIsRefusedUntilTheFirstCloses() {
    Path dir = temp.resolve("store");
    try (FileMemoryStore first = FileMemoryStore.open(dir)) {
      first.insert(List.of(StoreFiles.memory("kept")), List.of());

      assertThatThrownBy(() -> FileMemoryStore.open(dir))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining(dir.toString())
          .hasMessageContaining("already open in this JVM");
      first.insert(List.of(StoreFiles.memory("still-writable")), List.of());
    }
    try (FileMemoryStore second = FileMemoryStore.open(dir)) {
      assertThat(second.load(StoreFiles.ALICE)).hasSize(2);
    }
  }
}
