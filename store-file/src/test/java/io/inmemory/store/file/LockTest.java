package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.StorageException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One open store per directory: a second open fails clearly and damages nothing. */
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

  @Test
  void aStoreOpenInAnotherProcessIsRefusedNamingThatProcess() throws Exception {
    Path dir = temp.resolve("store");
    Path stderr = temp.resolve("child.err");
    Process child = ChildProcess.start("hold", dir, stderr);
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).as("child stderr: %s", stderr).isEqualTo("ready");

      assertThatThrownBy(() -> FileMemoryStore.open(dir))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("already open in another process (pid " + child.pid() + ")")
          .hasMessageContaining(FileStoreProvider.DIR.name());

      child.getOutputStream().close();
      assertThat(child.waitFor()).as("child stderr: %s", Files.readString(stderr)).isZero();
    } finally {
      child.destroyForcibly();
    }
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      store.ping();
    }
  }
}
