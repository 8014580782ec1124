package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryRecord;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.engine.Memory;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.HashingEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on the file store: closing saves a large partition's graph under {@code index/},
 * reopening restores it instead of rebuilding it, and a change the snapshot missed (made by a
 * process that crashed, here straight through the store) is detected, rebuilt and found. A
 * rebuilt graph differs from the saved one (hnswlib draws node levels at random) and is saved on
 * close, so an unchanged snapshot file after a reopen proves the graph was restored.
 */
class FileIndexSnapshotTest {
  private static final String USER = "alice";
  private static final int SIZE = IndexSettings.defaults().hnswThreshold() + 100;

  @TempDir
  Path dir;

  @Test
  void reopeningRestoresTheGraphAndAMissedChangeIsDetected() throws IOException {
    HashingEmbedder embedder = new HashingEmbedder();
    fillAndClose();
    Path snapshot = snapshotFile();
    byte[] saved = Files.readAllBytes(snapshot);

    try (Memory memory = open()) {
      assertThat(search(memory, "topic 17").get(0).memory().content()).contains("topic 17");
    }
    assertThat(Files.readAllBytes(snapshot)).isEqualTo(saved);

    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      Instant now = Instant.now();
      MemoryRecord record = new MemoryRecord("missed", USER, "a zebra crossing", List.of(),
          List.of(), null, Map.of(), now, now);
      store.insert(List.of(new StoredMemory(PartitionKey.DEFAULT_NAMESPACE, record,
              embedder.embedDocuments(List.of(record.content())).get(0), embedder.id())),
          List.of(new HistoryEntry("missed", USER, HistoryEntry.Event.ADD, null,
              record.content(), now)));
    }
    try (Memory memory = open()) {
      assertThat(search(memory, "zebra crossing").get(0).memory().id()).isEqualTo("missed");
    }
    assertThat(Files.readAllBytes(snapshot)).isNotEqualTo(saved);
  }

  @Test
  void aDamagedSnapshotFileIsRebuiltAndReplaced() throws Exception {
    fillAndClose();
    Path snapshot = snapshotFile();
    StoreFiles.flipByte(snapshot, Files.size(snapshot) / 2);
    byte[] damaged = Files.readAllBytes(snapshot);

    try (Memory memory = open()) {
      assertThat(search(memory, "topic 17").get(0).memory().content()).contains("topic 17");
    }
    assertThat(Files.readAllBytes(snapshot)).isNotEqualTo(damaged);
  }

  /** The one snapshot file of the store. */
  private Path snapshotFile() throws IOException {
    try (var files = Files.list(dir.resolve(IndexFiles.DIR))) {
      List<Path> all = files.toList();
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }

  private Memory open() {
    return Memory.builder().config(InMemoryConfig.builder().isolated()
            .set(Limits.MAX_BATCH_SIZE, SIZE).build())
        .store(FileMemoryStore.open(dir)).embedder(new HashingEmbedder()).build();
  }

  private static List<SearchHit> search(Memory memory, String query) {
    return memory.search(SearchRequest.builder(USER).query(query).limit(5).build()).hits();
  }

  /** Adds SIZE memories (enough for a graph) and closes, which writes the snapshot. */
  private void fillAndClose() {
    try (Memory memory = open()) {
      List<AddRequest> requests = new ArrayList<>();
      for (int i = 0; i < SIZE; i++) {
        requests.add(AddRequest.of("note " + i + " on topic " + (i % 89), USER));
      }
      memory.addAll(requests);
    }
  }
}
