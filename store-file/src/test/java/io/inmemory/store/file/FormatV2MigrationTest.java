package io.inmemory.store.file;

import static io.inmemory.store.file.FormatFixture.ACME;
import static io.inmemory.store.file.FormatFixture.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.ApiKeyRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store of format 2, written by the code of that format ({@code src/test/resources/format-v2/},
 * see {@link FormatFixture}), opens with every memory, history entry, project and key, is
 * rewritten in the current format at once (a log of format 2 is never appended to), and reopens
 * the same.
 */
class FormatV2MigrationTest {
  private static final PartitionKey ALICE = new PartitionKey(ACME, "alice");

  @TempDir
  Path temp;

  /** A copy of the format-2 fixture in {@code dir}. */
  static Path fixtureCopy(Path dir) {
    return fixtureCopy("format-v2", dir);
  }

  /** A copy of the fixture in the test resource directory {@code name} in {@code dir}. */
  static Path fixtureCopy(String name, Path dir) {
    try {
      Path fixture = Path.of(FormatV2MigrationTest.class.getResource("/" + name).toURI());
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(fixture)) {
        for (Path file : files.toList()) {
          Files.copy(file, dir.resolve(file.getFileName()));
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /** What the fixture's script leaves in a store of the current format. */
  static List<Object> expected(Path dir) {
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      FormatFixture.write(store);
      return FormatFixture.dump(store);
    }
  }

  /** The store files of {@code dir} (not the lock), by name, with their format versions. */
  static Map<String, Integer> storeFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(file -> !file.getFileName().toString().equals(StoreDirectory.LOCK_FILE))
          .collect(Collectors.toMap(file -> file.getFileName().toString(),
              FormatV2MigrationTest::formatVersion, (a, b) -> a, TreeMap::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int formatVersion(Path file) {
    byte[] header = new byte[12];
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      raf.readFully(header);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
  }

  @Test
  void theFixtureIsOfFormatTwo() {
    assertThat(storeFiles(fixtureCopy(temp.resolve("v2"))))
        .isEqualTo(Map.of("memories-1.log", 2, "memories-1.snapshot", 2));
  }

  @Test
  void aFormatTwoStoreOpensWithEverythingAndIsRewrittenInTheCurrentFormat() {
    Path dir = fixtureCopy(temp.resolve("v2"));
    List<Object> expected = expected(temp.resolve("fresh"));
    List<?>[] dump = new List<?>[1];

    String log = StoreFiles.stderrOf(() -> {
      try (FileMemoryStore store = FileMemoryStore.open(dir)) {
        dump[0] = FormatFixture.dump(store);
        checkRecords(store);
      }
    });

    assertThat(dump[0]).isEqualTo(expected);
    assertThat(log).containsOnlyOnce("Migrated store format 2 -> " + Frames.FORMAT_VERSION + " in "
        + dir + " (6 memories)");
    assertThat(storeFiles(dir)).isEqualTo(Map.of("memories-2.log", Frames.FORMAT_VERSION,
        "memories-2.snapshot", Frames.FORMAT_VERSION));
    String again = StoreFiles.stderrOf(() -> {
      try (FileMemoryStore store = FileMemoryStore.open(dir)) {
        dump[0] = FormatFixture.dump(store);
      }
    });
    assertThat(dump[0]).isEqualTo(expected);
    assertThat(again).doesNotContain("Migrated");
  }

  /** Spot checks independent of the script's replay: what format 2 held, read as today's. */
  private static void checkRecords(FileMemoryStore store) {
    assertThat(store.load(ALICE)).extracting(StoredMemory::id)
        .containsExactlyInAnyOrder("a-1", "a-2");
    MemoryRecord updated = store.load(ALICE).stream().filter(m -> m.id().equals("a-1"))
        .findFirst().orElseThrow().memory();
    assertThat(updated.content()).isEqualTo("Alice likes oolong tea");
    assertThat(updated.userId()).isEqualTo("alice");
    assertThat(updated.agentId()).isNull();
    assertThat(updated.sessionId()).isNull();
    assertThat(updated.role()).isNull();
    assertThat(updated.validFrom()).isEqualTo(updated.createdAt());
    assertThat(updated.isCurrent()).isTrue();
    assertThat(updated.supersededBy()).isNull();
    assertThat(updated.updatedAt()).isAfter(updated.createdAt());
    assertThat(store.history(ALICE, "a-1")).extracting(HistoryEntry::event)
        .containsExactly(HistoryEntry.Event.ADD, HistoryEntry.Event.UPDATE,
            HistoryEntry.Event.UPDATE);
    assertThat(store.history(ALICE, "a-1")).allSatisfy(entry -> {
      assertThat(entry.userId()).isEqualTo("alice");
      assertThat(entry.agentId()).isNull();
      assertThat(entry.relatedId()).isNull();
    });
    assertThat(store.history(ALICE, FormatFixture.DELETED)).extracting(HistoryEntry::event)
        .containsExactly(HistoryEntry.Event.ADD, HistoryEntry.Event.DELETE);
    assertThat(store.load(new PartitionKey(ACME, "bob"))).hasSize(2)
        .anySatisfy(m -> assertThat(m.embedderId()).isEqualTo("fixture-embedder:2"))
        .anySatisfy(m -> assertThat(m.memory().content()).contains("🚲"));
    assertThat(store.load(new PartitionKey(ACME, "carol"))).hasSize(1);
    assertThat(store.load(new PartitionKey(GLOBEX, "alice"))).extracting(StoredMemory::id)
        .containsExactly("g-1");
    assertThat(store.access().projects()).extracting(p -> p.id()).containsExactly(ACME, GLOBEX);
    assertThat(store.access().key(FormatFixture.REVOKED_KEY).orElseThrow().revokedAt())
        .isNotNull();
    ApiKeyRecord used = store.access().key(FormatFixture.USED_KEY).orElseThrow();
    assertThat(used.usageCount()).isEqualTo(3);
    assertThat(store.access().key(FormatFixture.EXPIRING_KEY).orElseThrow().expiresAt())
        .isNotNull();
  }

  @Test
  void aMigratedStoreTakesWritesOfTheNewFields() {
    Path dir = fixtureCopy(temp.resolve("v2"));
    StoredMemory kept;
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      MemoryRecord old = store.load(ALICE).get(0).memory();
      Instant at = old.updatedAt().plusSeconds(60);
      kept = new StoredMemory(ACME, new MemoryRecord(old.id(), "alice", old.content(),
          old.tags(), old.people(), old.topic(), old.metadata(), old.createdAt(), at,
          "assistant-1", "s-1", Role.USER, old.validFrom(), at, "a-9"), new float[] {1, 0},
          "fixture-embedder:1");
      store.replace(kept, new HistoryEntry(old.id(), "alice", HistoryEntry.Event.SUPERSEDE,
          old.content(), null, at, "assistant-1", "a-9"));
    }
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      assertThat(store.load(ALICE)).contains(kept);
      assertThat(store.history(ALICE, kept.id())).last()
          .extracting(HistoryEntry::event, HistoryEntry::relatedId)
          .containsExactly(HistoryEntry.Event.SUPERSEDE, "a-9");
    }
    assertThat(storeFiles(dir)).containsOnlyKeys("memories-2.log", "memories-2.snapshot")
        .containsValue(Frames.FORMAT_VERSION).doesNotContainValue(2);
  }

  @Test
  void aStoreOfTheCurrentFormatIsNotMigrated() {
    Path dir = temp.resolve("fresh");
    expected(dir);

    String log = StoreFiles.stderrOf(() -> FileMemoryStore.open(dir).close());

    assertThat(log).doesNotContain("Migrated");
    assertThat(storeFiles(dir)).containsOnlyKeys("memories-1.log", "memories-1.snapshot");
  }
}
