package io.inmemory.store.file;

import static io.inmemory.store.file.StoreFiles.ALICE;
import static io.inmemory.store.file.StoreFiles.memory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.StoredMemory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text is stored exactly, or not at all: UTF-8 cannot encode a lone UTF-16 surrogate, and the
 * store refuses such text instead of writing {@code ?} for it (which also made two metadata keys
 * differing only there into one after a restart).
 */
class TextEncodingTest {
  private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
  private static final String ROCKET = "\ud83d\ude80";

  @TempDir
  Path dir;

  private static StoredMemory withText(String id, String content, List<String> tags,
      Map<String, Object> metadata) {
    MemoryRecord record = new MemoryRecord(id, ALICE.userId(), content, tags,
        List.of("Zo\u00eb " + ROCKET), "topic " + ROCKET, metadata, T0, T0);
    return new StoredMemory(ALICE.namespace(), record, new float[] {1f, 0f, 0f}, "test:1");
  }

  @Test
  void wellFormedTextReadsBackExactlyAfterReopenAndCompaction() {
    StoredMemory stored = withText("m1", "caf\u00e9 " + ROCKET + " \u4e2d\u6587",
        List.of("t" + ROCKET), Map.of("k" + ROCKET, "v" + ROCKET,
            "nested", Map.of(ROCKET, List.of("a" + ROCKET))));
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      store.insert(List.of(stored), List.of());
    }
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      assertThat(store.load(ALICE)).extracting(StoredMemory::memory)
          .containsExactly(stored.memory());
      store.compact();
    }
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      assertThat(store.load(ALICE)).extracting(StoredMemory::memory)
          .containsExactly(stored.memory());
    }
  }

  @Test
  void textWithALoneSurrogateIsRefusedAndNothingIsWritten() {
    StoredMemory kept = memory("kept");
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      store.insert(List.of(kept), List.of());
      assertThatIllegalArgumentException().isThrownBy(() -> store.insert(List.of(
              withText("m2", "abc \ud800 def", List.of(), Map.of())), List.of()))
          .withMessageContaining("lone UTF-16 surrogate");
      assertThatIllegalArgumentException().isThrownBy(() -> store.insert(List.of(
              withText("m3", "fine", List.of(), Map.of("k\ud800", 1L, "k\udc00", 2L))),
              List.of()));
      assertThat(store.load(ALICE)).extracting(StoredMemory::id).containsExactly("kept");
    }
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      assertThat(store.load(ALICE)).extracting(StoredMemory::memory)
          .containsExactly(kept.memory());
    }
  }
}
