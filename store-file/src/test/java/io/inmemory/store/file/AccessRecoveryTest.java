package io.inmemory.store.file;

import static io.inmemory.store.file.StoreFiles.key;
import static io.inmemory.store.file.StoreFiles.project;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.StorageException;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The projects and API keys in the log, in snapshots and through compactions: what a crash, a
 * compaction or damage leaves of them. A copy of the log taken while the store is open is what a
 * {@code kill -9} leaves behind.
 */
class AccessRecoveryTest {
  private static final Instant NOON = Instant.parse("2024-03-01T12:00:00Z");

  @TempDir
  Path temp;

  private static List<ApiKeyRecord> keys(Path dir, String projectId) {
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      return store.access().keys(projectId);
    }
  }

  @Test
  void aTornTailInsideAKeyRecordDropsOnlyThatUnacknowledgedKey() throws IOException {
    Path original = temp.resolve("original");
    Path dir = temp.resolve("crashed");
    Files.createDirectories(dir);
    ApiKeyRecord first = key("key-1", "alpha");
    try (FileMemoryStore store = FileMemoryStore.open(original)) {
      store.access().createProject(project("alpha"));
      store.access().createKey(first);
      store.access().createKey(key("key-2", "alpha"));
      Files.copy(original.resolve("memories-0.log"), dir.resolve("memories-0.log"));
    }
    Path log = dir.resolve("memories-0.log");
    List<Long> frames = StoreFiles.frameOffsets(log);
    assertThat(frames).hasSize(3);
    long lastKey = frames.get(2);
    long middle = lastKey + 20 + (Files.size(log) - lastKey - 20) / 2;
    StoreFiles.truncate(log, middle);

    AtomicReference<List<ApiKeyRecord>> loaded = new AtomicReference<>();
    String stderr = StoreFiles.stderrOf(() -> loaded.set(keys(dir, "alpha")));

    assertThat(loaded.get()).containsExactly(first);
    assertThat(stderr).contains("WARN", log.toString(), "byte offset " + lastKey);
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      assertThat(store.access().projects()).containsExactly(project("alpha"));
      assertThat(store.access().keyByHash(key("key-2", "alpha").hash())).isEmpty();
      store.access().createKey(key("key-2", "alpha"));
    }
    assertThat(keys(dir, "alpha")).containsExactly(first, key("key-2", "alpha"));
  }

  @Test
  void aSnapshotHoldsProjectsAndKeysAndItsDamageFailsTheOpen() throws IOException {
    Path dir = temp.resolve("store");
    List<ApiKeyRecord> stored;
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      store.access().createProject(project("alpha"));
      store.access().createProject(project("beta"));
      for (int i = 0; i < 300; i++) {
        store.access().createKey(key("key-" + i, i % 2 == 0 ? "alpha" : "beta"));
      }
      store.access().revokeKey("key-7", NOON);
      store.access().recordUsage(List.of(new KeyUsage("key-8", 4, NOON)));
      stored = store.access().keys("beta");
      store.compact();
    }
    Path snapshot = dir.resolve("memories-1.snapshot");
    assertThat(StoreFiles.frameOffsets(dir.resolve("memories-1.log")))
        .as("after the snapshot, the log holds only the clean-close record").hasSize(1);

    assertThat(keys(dir, "beta")).containsExactlyElementsOf(stored);
    assertThat(keys(dir, "alpha")).hasSize(150);

    // frames: projects, keys 0..255, keys 256..299, end
    List<Long> frames = StoreFiles.frameOffsets(snapshot);
    assertThat(frames).hasSize(4);
    StoreFiles.flipByte(snapshot, frames.get(2) + 100);
    assertThatThrownBy(() -> FileMemoryStore.open(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(snapshot.toString())
        .hasMessageContaining("byte offset " + frames.get(2));
  }

  @Test
  void compactionsKeepTheLatestRevocationsAndUsageCounts() throws IOException {
    Path dir = temp.resolve("store");
    List<ApiKeyRecord> before;
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      AccessStore access = store.access();
      access.createProject(project("alpha"));
      for (String id : List.of("a", "b", "c")) {
        access.createKey(key(id, "alpha"));
      }
      access.recordUsage(List.of(new KeyUsage("a", 2, NOON), new KeyUsage("b", 1, NOON)));
      access.revokeKey("b", NOON.plusSeconds(1));
      store.compact();
      access.recordUsage(List.of(new KeyUsage("a", 3, NOON.plusSeconds(2)),
          new KeyUsage("b", 5, NOON.plusSeconds(3))));
      access.revokeKey("c", NOON.plusSeconds(4));
      store.compact();
      access.recordUsage(List.of(new KeyUsage("a", 1, NOON.plusSeconds(5))));
      access.revokeKey("b", NOON.plusSeconds(6));
      before = access.keys("alpha");
    }
    assertThat(names(dir)).containsExactlyInAnyOrder("memories-2.snapshot", "memories-2.log",
        StoreDirectory.LOCK_FILE);

    List<ApiKeyRecord> after = keys(dir, "alpha");

    assertThat(after).containsExactlyElementsOf(before);
    assertThat(after).extracting(ApiKeyRecord::usageCount).containsExactly(6L, 6L, 0L);
    assertThat(after).extracting(ApiKeyRecord::lastUsedAt)
        .containsExactly(NOON.plusSeconds(5), NOON.plusSeconds(3), null);
    assertThat(after).extracting(ApiKeyRecord::revokedAt)
        .containsExactly(null, NOON.plusSeconds(1), NOON.plusSeconds(4));
  }

  @Test
  void usageReportedWhileCompactionsRunIsCountedExactlyOnce() throws Exception {
    Path dir = temp.resolve("store");
    int threads = 2;
    AtomicBoolean done = new AtomicBoolean();
    long[] reported = new long[threads];
    try (FileMemoryStore store = FileMemoryStore.builder(dir).sync(SyncMode.NEVER).open()) {
      store.access().createProject(project("alpha"));
      store.access().createKey(key("busy", "alpha"));
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> reporters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int index = t;
          reporters.add(pool.submit(() -> {
            while (!done.get()) {
              store.access().recordUsage(List.of(new KeyUsage("busy", 1, NOON)));
              reported[index]++;
            }
          }));
        }
        for (int i = 0; i < 20; i++) {
          store.compact();
        }
        done.set(true);
        for (Future<?> reporter : reporters) {
          reporter.get();
        }
      } finally {
        pool.shutdown();
      }
    }
    long total = reported[0] + reported[1];

    assertThat(keys(dir, "alpha")).singleElement()
        .extracting(ApiKeyRecord::usageCount).isEqualTo(total);
  }

  @Test
  void aUsageReportIsLoggedInAFractionOfTheBytesOfAWholeKey() throws IOException {
    Path dir = temp.resolve("store");
    Path log = dir.resolve("memories-0.log");
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      store.access().createProject(project("alpha"));
      store.access().createKey(key("key-1", "alpha"));
      long start = Files.size(log);
      store.access().recordUsage(List.of(new KeyUsage("key-1", 1, NOON)));
      long usage = Files.size(log) - start;
      store.access().revokeKey("key-1", NOON);
      long revocation = Files.size(log) - start - usage;

      assertThat(usage).isLessThan(revocation / 2);
      assertThat(usage).isLessThanOrEqualTo(80);
    }
    assertThat(keys(dir, "alpha")).singleElement().satisfies(key -> {
      assertThat(key.usageCount()).isEqualTo(1);
      assertThat(key.revokedAt()).isEqualTo(NOON);
    });
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(file -> file.getFileName().toString()).toList();
    }
  }
}
